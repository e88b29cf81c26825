/**
 * src/fonts/taka-sign-*.woff2 are what scripts/gen-taka-font.ts cuts from the Noto Sans Bengali installed now:
 * a font upgrade or a changed cut without a regeneration fails here. They stay small enough to be inlined.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { generateTakaFonts } from '../scripts/gen-taka-font.ts';

const webRoot = join(import.meta.dirname, '..');

t.test('the committed Taka sign fonts match a fresh cut from the bundled Noto Sans Bengali', async (t) => {
  const wanted = await generateTakaFonts();
  t.equal(wanted.size, 2, 'regular and bold');
  for (const [file, bytes] of wanted) {
    const name = relative(webRoot, file);
    t.ok(bytes.length < 2048, `${name}: ${bytes.length} bytes, one glyph`);
    t.ok(readFileSync(file).equals(bytes), `${name} is up to date (if not: run \`npm run gen:taka-font -w web\` and commit the result)`);
  }
});
