/**
 * HTTP caching: public catalog answers carry a validator, browsers revalidate them every use and a
 * CDN in front may reuse them for a few seconds, so it shares the load during a sale; a current copy revalidates to a 304
 * with no body; a catalog change gives new validators; and nothing per-user is ever cacheable.
 */
import t from 'tap';
import { harness } from './helpers/harness.js';
import { makeProduct } from './helpers/shop.js';

t.test('catalog answers: ETag, no-cache for browsers, a short CDN lifetime, 304 on a current copy', async (t) => {
  const h = await harness(t, { env: { CATALOG_CDN_MAX_AGE_SECONDS: '15', CATALOG_CDN_STALE_SECONDS: '45', CACHE_LOCAL_TTL_MS: '0' } });
  const p = await makeProduct(h, 5);
  for (const url of ['/v1/products?limit=24', `/v1/products/${p.slug}`, '/v1/categories', '/v1/brands', '/v1/products?q=phone']) {
    const first = await h.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    t.equal(first.statusCode, 200, `${url}: 200`);
    t.equal(first.headers['cache-control'], 'public, no-cache', `${url}: browsers keep it and revalidate every use`);
    t.equal(first.headers['cdn-cache-control'], 'public, max-age=15, stale-while-revalidate=45', `${url}: a CDN reuses it (RFC 9213)`);
    const etag = first.headers.etag as string;
    t.match(etag, /^W\/"[A-Za-z0-9_-]{22}"$/, `${url}: a weak validator`);
    const identity = await h.app.inject({ method: 'GET', url });
    t.equal(identity.headers.etag, etag, `${url}: one validator for both encodings`);
    const again = await h.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    t.equal(again.statusCode, 304, `${url}: a current copy revalidates to 304`);
    t.equal(again.body, '', `${url}: with no body`);
    t.equal(again.headers.etag, etag);
    const strong = await h.app.inject({ method: 'GET', url, headers: { 'if-none-match': `"x", ${etag.slice(2)}` } });
    t.equal(strong.statusCode, 304, `${url}: weak comparison, in a list`);
    const stale = await h.app.inject({ method: 'GET', url, headers: { 'if-none-match': 'W/"not-the-current-one"' } });
    t.equal(stale.statusCode, 200, `${url}: an old copy gets the full answer`);
  }
  const before = (await h.app.inject({ method: 'GET', url: `/v1/products/${p.slug}` })).headers.etag;
  const admin = await h.user('admin');
  const edit = await h.app.inject({
    method: 'PATCH',
    url: `/v1/admin/products/${p.id}`,
    headers: admin.auth,
    payload: { name: 'Renamed Power Bank' },
  });
  t.equal(edit.statusCode, 200);
  const after = await h.app.inject({ method: 'GET', url: `/v1/products/${p.slug}`, headers: { 'if-none-match': before as string } });
  t.equal(after.statusCode, 200, 'after a catalog edit the old validator no longer matches');
  t.not(after.headers.etag, before);
  const missing = await h.app.inject({ method: 'GET', url: '/v1/products/no-such-product' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.headers['cache-control'], 'no-store', 'errors are not cacheable');
});

t.test('every other answer is no-store: nothing per-user is ever kept by a browser or a CDN', async (t) => {
  const h = await harness(t);
  const customer = await h.user('admin');
  const gets = h.app.accessRules.filter((r) => r.method === 'GET' && r.access !== 'public');
  t.ok(gets.length >= 5, `${gets.length} GET routes read a token`);
  for (const rule of gets) {
    const url = rule.url.replace(
      ':id',
      rule.url.includes('/orders/') || rule.url.includes('/users/') ? '00000000-0000-4000-8000-000000000000' : '1',
    );
    const res = await h.app.inject({ method: 'GET', url, headers: customer.auth });
    t.equal(res.headers['cache-control'], 'no-store', `${rule.url} (${res.statusCode}): no-store`);
    t.notOk(res.headers.etag, `${rule.url}: no validator`);
  }
  for (const url of ['/readyz', '/livez']) {
    t.equal((await h.app.inject({ method: 'GET', url })).headers['cache-control'], 'no-store', `${url}: no-store`);
  }
});
