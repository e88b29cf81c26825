/**
 * `npm run gen:taka-font -w web`: src/fonts/taka-sign-{400,700}.woff2, the Taka sign (৳, U+09F3) alone,
 * cut from the bundled Noto Sans Bengali (SIL Open Font License 1.1, like the original) with harfbuzz's
 * subsetter. About 750 bytes each, so Vite inlines them into the stylesheet as data: URIs and a price
 * never waits on the network for its first character (see the @font-face rules in src/styles.css).
 * web/test/taka-font.test.ts runs the same cut and fails when the committed files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import subsetFont from 'subset-font';

export const TAKA_SIGN = '\u09f3';
export const WEIGHTS = [400, 700] as const;
const webRoot = join(import.meta.dirname, '..');
const fontsource = dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-bengali/package.json'));

export const takaFontFile = (weight: (typeof WEIGHTS)[number]) => join(webRoot, 'src', 'fonts', `taka-sign-${weight}.woff2`);

/** The bytes each committed file must hold for the Noto Sans Bengali installed now. */
export async function generateTakaFonts(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const weight of WEIGHTS) {
    const source = readFileSync(join(fontsource, 'files', `noto-sans-bengali-bengali-${weight}-normal.woff2`));
    files.set(takaFontFile(weight), await subsetFont(source, TAKA_SIGN, { targetFormat: 'woff2' }));
  }
  return files;
}

// Run as a script (not imported by the test): write the files.
if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  for (const [file, bytes] of await generateTakaFonts()) {
    writeFileSync(file, bytes);
    console.log(`wrote ${relative(process.cwd(), file)} (${bytes.length} bytes)`);
  }
}
