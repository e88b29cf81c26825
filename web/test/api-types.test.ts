/** src/api-types.gen.ts is what the API's OpenAPI document says today: a schema change in the API without a regeneration fails here. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { generateApiTypes, generatedFile } from '../scripts/gen-api-types.ts';

t.test('the committed API types match the OpenAPI document the real API serves', async (t) => {
  const wanted = await generateApiTypes();
  t.match(wanted, "'/v1/products'", 'the document has the catalog routes');
  const committed = readFileSync(generatedFile, 'utf8');
  if (committed === wanted) {
    t.pass('src/api-types.gen.ts is up to date');
    return;
  }
  const have = committed.split('\n');
  const want = wanted.split('\n');
  let line = 0;
  while (line < have.length && have[line] === want[line]) line++;
  t.fail('web/src/api-types.gen.ts is out of date with the API: run `npm run gen:api-types -w web` and commit the result', {
    firstDifferenceAtLine: line + 1,
    committed: have[line],
    generated: want[line],
  });
});
