/**
 * Tokens signed with the real key but naming no usable account, or missing a
 * claim we always sign, are refused with 401 on every route that reads a token
 * (the list comes from the app, so a new route is covered the moment it exists),
 * and nothing is written on their behalf.
 */
import { createHmac, randomUUID } from 'node:crypto';
import t from 'tap';
import { harness } from './helpers/harness.js';
import { makeProduct } from './helpers/shop.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

t.test('signed tokens for missing users, malformed subjects or missing claims get 401 everywhere', async (t) => {
  const h = await harness(t);
  const secret = h.config.JWT_SECRET;
  const sign = (claims: Record<string, unknown>) => {
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const full = (sub: string, role = 'customer') => ({ sub, role, iss: 'dhakacart', aud: 'dhakacart-api', iat: now, exp: now + 600 });
  const p = await makeProduct(h, 5);

  const real = await h.user('admin');
  const deleted = await h.user('admin');
  await h.sql('DELETE FROM users WHERE id = $1', [deleted.id]);
  const { iss: _i, ...noIss } = full(real.id, 'admin');
  const { aud: _a, ...noAud } = full(real.id, 'admin');
  const { exp: _e, ...noExp } = full(real.id, 'admin');
  const { iat: _t, ...noIat } = full(real.id, 'admin');
  const { role: _r, ...noRole } = full(real.id, 'admin');

  const tokens: Record<string, string> = {
    'a subject that never existed': sign(full(randomUUID(), 'admin')),
    'a deleted account (token issued before deletion)': deleted.auth.authorization.slice('Bearer '.length),
    'a subject that is not a UUID': sign(full('42', 'admin')),
    'a subject with SQL in it': sign(full("' OR 1=1 --", 'admin')),
    'a numeric subject': sign({ ...full(real.id, 'admin'), sub: 42 }),
    'an unknown role': sign(full(real.id, 'root')),
    'no issuer': sign(noIss),
    'no audience': sign(noAud),
    'no expiry': sign(noExp),
    'no issued-at': sign(noIat),
    'no role': sign(noRole),
    'a lifetime longer than ours': sign({ ...full(real.id, 'admin'), exp: now + 86_400 * 365, iat: now - 86_400 }),
  };

  const before = await h.sql(
    'SELECT (SELECT count(*) FROM carts) c, (SELECT count(*) FROM cart_items) i, (SELECT count(*) FROM orders) o, (SELECT count(*) FROM stock_adjustments) s',
  );
  const tokenRoutes = h.app.accessRules.filter((r) => r.access !== 'public');
  t.ok(tokenRoutes.length >= 15, `${tokenRoutes.length} routes read a token`);
  for (const rule of tokenRoutes) {
    const url = rule.url
      .replace(':productId', String(p.id))
      .replace(':id', rule.url.includes('/orders/') || rule.url.includes('/users/') ? randomUUID() : String(p.id))
      .replace(':slug', p.slug);
    const payload =
      rule.method === 'GET' || rule.method === 'DELETE'
        ? undefined
        : rule.url.includes('/cart/items')
          ? { quantity: 1 }
          : rule.url.includes('/merge')
            ? { guestCartId: randomUUID() }
            : {};
    for (const [name, token] of Object.entries(tokens)) {
      const res = await h.app.inject({
        method: rule.method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
        payload,
      });
      t.equal(res.statusCode, 401, `${rule.method} ${rule.url} with ${name}: ${res.statusCode}`);
      const expected = name === 'a lifetime longer than ours' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID';
      t.equal(res.json().error?.code, expected, `${rule.method} ${rule.url} with ${name}: code`);
    }
  }
  const after = await h.sql(
    'SELECT (SELECT count(*) FROM carts) c, (SELECT count(*) FROM cart_items) i, (SELECT count(*) FROM orders) o, (SELECT count(*) FROM stock_adjustments) s',
  );
  t.same(after, before, 'nothing was written for any of them');

  const ok = await h.app.inject({
    method: 'GET',
    url: '/v1/auth/me',
    headers: { authorization: `Bearer ${sign(full(real.id, 'admin'))}` },
  });
  t.equal(ok.statusCode, 200, 'a complete token for a real account still works');
});

t.test('an account deleted while its token is live loses access at once, on writes too', async (t) => {
  const h = await harness(t);
  const u = await h.user();
  const p = await makeProduct(h, 5);
  const add = () => h.app.inject({ method: 'PUT', url: `/v1/cart/items/${p.id}`, headers: u.auth, payload: { quantity: 1 } });
  t.equal((await add()).statusCode, 200, 'works while the account exists');
  await h.sql('DELETE FROM users WHERE id = $1', [u.id]);
  for (const res of [
    await add(),
    await h.app.inject({ method: 'GET', url: '/v1/cart', headers: u.auth }),
    await h.app.inject({ method: 'GET', url: '/v1/orders', headers: u.auth }),
  ]) {
    t.equal(res.statusCode, 401);
    t.equal(res.json().error.code, 'TOKEN_INVALID');
  }
});
