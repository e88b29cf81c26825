import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { acceptsGzip } from '../src/http/compression.js';
import { harness } from './helpers/harness.js';

async function counter(h: Awaited<ReturnType<typeof harness>>, layer: string, result: string) {
  const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = metrics.split('\n').find((l) => l.startsWith(`dhakacart_cache_requests_total{layer="${layer}",result="${result}"}`));
  return Number(line?.split(' ')[1] ?? 0);
}

t.test('hot catalog reads come from the cache and writes invalidate every instance', async (t) => {
  // Two app instances sharing one database and one Redis: two pods.
  const a = await harness(t, { env: { CACHE_LOCAL_TTL_MS: '60000' } });
  const b = await harness(t, {
    databaseUrl: a.databaseUrl,
    env: { CACHE_LOCAL_TTL_MS: '60000', REDIS_KEY_PREFIX: a.config.REDIS_KEY_PREFIX },
  });
  const staff = await a.user('staff');
  const [product] = await a.sql<{ id: number; slug: string }>('SELECT id, slug FROM products WHERE stock > 0 ORDER BY id LIMIT 1');
  const url = `/v1/products/${product?.slug}`;

  const first = await a.app.inject({ method: 'GET', url });
  const dbReadsBefore = await counter(a, 'redis', 'miss');
  for (let i = 0; i < 20; i++) await a.app.inject({ method: 'GET', url });
  t.equal(await counter(a, 'redis', 'miss'), dbReadsBefore, '20 repeat reads: no further trips past the local cache');
  t.ok((await counter(a, 'local', 'hit')) >= 20, 'served from the in-process cache');

  const fromB = await b.app.inject({ method: 'GET', url });
  t.equal(await counter(b, 'redis', 'hit'), 1, 'the second pod gets it from Redis, not the database');
  t.same(fromB.json(), first.json());

  const adjust = await a.app.inject({
    method: 'POST',
    url: `/v1/admin/products/${product?.id}/stock-adjustments`,
    headers: staff.auth,
    payload: { setTo: 3, reason: 'stock count' },
  });
  t.equal(adjust.statusCode, 201);
  // Pub/sub delivery to the other pod is asynchronous; it normally takes a millisecond.
  let seenByB = 0;
  for (let i = 0; i < 50 && seenByB !== 3; i++) {
    seenByB = (await b.app.inject({ method: 'GET', url })).json().stock;
    if (seenByB !== 3) await new Promise((r) => setTimeout(r, 20));
  }
  t.equal((await a.app.inject({ method: 'GET', url })).json().stock, 3, 'the writing pod sees the new stock at once');
  t.equal(seenByB, 3, 'the other pod sees it too (invalidation broadcast)');
});

t.test('concurrent misses for one key make one database read (stampede protection)', async (t) => {
  const h = await harness(t, { redis: false });
  const [product] = await h.sql<{ slug: string }>('SELECT slug FROM products ORDER BY id DESC LIMIT 1');
  await h.sql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await h.sql('SELECT pg_stat_statements_reset()');
  const before = await counter(h, 'local', 'miss');
  const responses = await Promise.all(
    Array.from({ length: 50 }, () => h.app.inject({ method: 'GET', url: `/v1/products/${product?.slug}` })),
  );
  t.ok(responses.every((r) => r.statusCode === 200));
  const [statements] = await h.sql<{ calls: string }>(
    `SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND query ILIKE '%"products"%' AND query ILIKE '%"slug" = $1%'`,
  );
  t.equal((await counter(h, 'local', 'miss')) - before, 50, 'all 50 missed the empty local cache');
  t.equal(Number(statements?.calls), 1, 'but the product was loaded from the database once');
});

t.test('cached catalog bodies go gzipped to clients that accept it, byte-identical once decoded', async (t) => {
  const h = await harness(t);
  const list = '/v1/products?limit=24';
  const plain = await h.app.inject({ method: 'GET', url: list });
  const gzipped = await h.app.inject({ method: 'GET', url: list, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as it is');
  t.equal(gzipped.headers['content-encoding'], 'gzip');
  t.equal(gzipped.headers.vary, 'accept-encoding', 'caches in between keep the two apart');
  t.equal(plain.headers.vary, 'accept-encoding');
  t.same(gunzipSync(gzipped.rawPayload), plain.rawPayload, 'the same JSON');
  t.ok(gzipped.rawPayload.length * 3 < plain.rawPayload.length, `${plain.rawPayload.length} B -> ${gzipped.rawPayload.length} B`);
  t.equal(Number(gzipped.headers['content-length']), gzipped.rawPayload.length);

  const refused = await h.app.inject({ method: 'GET', url: list, headers: { 'accept-encoding': 'br, gzip;q=0' } });
  t.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0 is a refusal');
  const categories = await h.app.inject({ method: 'GET', url: '/v1/categories', headers: { 'accept-encoding': '*' } });
  t.equal(categories.headers['content-encoding'], 'gzip', '"*" admits gzip');
  t.ok((JSON.parse(gunzipSync(categories.rawPayload).toString()) as { items: unknown[] }).items.length > 10);
  const [product] = await h.sql<{ slug: string }>('SELECT slug FROM products ORDER BY id LIMIT 1');
  const detailUrl = `/v1/products/${product?.slug}`;
  const detailPlain = await h.app.inject({ method: 'GET', url: detailUrl });
  const detail = await h.app.inject({ method: 'GET', url: detailUrl, headers: { 'accept-encoding': 'gzip' } });
  t.equal(
    detail.headers['content-encoding'],
    detailPlain.rawPayload.length >= 1024 ? 'gzip' : undefined,
    `a ${detailPlain.rawPayload.length} B body is gzipped only from 1 KB on`,
  );
  const missing = await h.app.inject({ method: 'GET', url: '/v1/products/no-such-product', headers: { 'accept-encoding': 'gzip' } });
  t.equal(missing.statusCode, 404, 'a cached "not found" is still a 404');
});

t.test('Accept-Encoding parsing', async (t) => {
  for (const [header, expected] of [
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP;Q=0.5', true],
    ['br', false],
    ['br;q=1, gzip;q=0', false],
    ['*', true],
    ['*;q=0', false],
    ['*, gzip;q=0', false],
    ['identity, x-gzip', true],
  ] as const) {
    t.equal(acceptsGzip(header), expected, `${JSON.stringify(header)}`);
  }
});
