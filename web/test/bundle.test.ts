/** The production build a shopper downloads first: initial JS under 150 KB gzipped, staff code in its own chunk. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { ensureBuilt, webRoot } from './helpers/storefront.ts';

const BUDGET_GZIP_BYTES = 150 * 1024;

t.test('initial JavaScript stays within the budget', async (t) => {
  await ensureBuilt();
  const dist = join(webRoot, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  // Everything index.html makes the browser fetch before the first render: the entry and its preloads.
  const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  t.ok(initial.length >= 1, `initial scripts: ${initial.join(', ')}`);
  const gzipped = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);
  t.comment(`initial JS: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  t.ok(gzipped < BUDGET_GZIP_BYTES, `initial JS ${(gzipped / 1024).toFixed(1)} KB gzipped < 150 KB`);
  const entry = readFileSync(join(dist, initial[0] as string), 'utf8');
  t.notMatch(entry, 'react.development', 'React is the production build');
  t.notMatch(entry, 'stock-adjustments', 'staff pages are not in the initial bundle');
});
