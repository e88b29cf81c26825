/**
 * Races on first writes: every get-or-create and merge path, hit by hundreds of
 * concurrent requests over a real socket so they truly overlap in PostgreSQL.
 * Each must answer 2xx or a clean 4xx, never a 5xx, and leave exactly one row
 * where one is expected.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { ensureUser } from '../src/seed/seed.js';
import { type Harness, harness } from './helpers/harness.js';
import { makeProduct } from './helpers/shop.js';

const ROUNDS = 200;

async function listening(h: Harness) {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
}

function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as Record<string, unknown> | null }));
}

function tally(results: { status: number }[]) {
  const byStatus: Record<number, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return byStatus;
}

/** A customer with no cart yet, and a token signed by the app. */
async function newCustomer(h: Harness) {
  const id = await ensureUser(h.databaseUrl, {
    email: `race-${randomUUID()}@example.test`,
    password: 'long enough password',
    name: 'Race',
    role: 'customer',
  });
  return { id, auth: { authorization: `Bearer ${h.app.signAccessToken({ sub: id, role: 'customer' })}` } };
}

/** A guest cart holding `quantity` of each product, made through the API. */
async function guestCart(base: string, productIds: number[], quantity = 1) {
  let cartId: string | undefined;
  for (const productId of productIds) {
    const res = await call(base, 'PUT', `/v1/cart/items/${productId}`, cartId ? { 'x-cart-id': cartId } : {}, { quantity });
    if (res.status !== 200) throw new Error(`guest add: ${res.status} ${JSON.stringify(res.body)}`);
    cartId = res.body?.id as string;
  }
  return cartId as string;
}

const env = { DATABASE_POOL_MAX: '20', RATE_LIMIT_PER_MINUTE: '1000000' };

t.test('a new customer adding to the cart from many tabs at once gets one cart, no 5xx', async (t) => {
  const h = await harness(t, { env });
  const base = await listening(h);
  const products = await Promise.all(Array.from({ length: 5 }, () => makeProduct(h, 100)));
  for (let round = 0; round < 3; round++) {
    const u = await newCustomer(h);
    const results = await Promise.all(
      Array.from({ length: ROUNDS }, (_, i) =>
        call(base, 'PUT', `/v1/cart/items/${products[i % products.length]?.id}`, u.auth, { quantity: 1 + (i % 3) }),
      ),
    );
    t.same(tally(results), { 200: ROUNDS }, `round ${round}: every add succeeded`);
    const carts = await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM carts WHERE user_id = $1', [u.id]);
    t.equal(carts[0]?.n, 1, 'exactly one cart');
    const items = await h.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.user_id = $1',
      [u.id],
    );
    t.equal(items[0]?.n, products.length, 'one line per product');
  }
});

t.test('adds and removes racing on one line end in a consistent cart', async (t) => {
  const h = await harness(t, { env });
  const base = await listening(h);
  const p = await makeProduct(h, 100);
  const u = await newCustomer(h);
  const results = await Promise.all(
    Array.from({ length: ROUNDS }, (_, i) =>
      i % 2 ? call(base, 'DELETE', `/v1/cart/items/${p.id}`, u.auth) : call(base, 'PUT', `/v1/cart/items/${p.id}`, u.auth, { quantity: 2 }),
    ),
  );
  t.same(tally(results), { 200: ROUNDS });
  const final = await call(base, 'GET', '/v1/cart', u.auth);
  const lines = ((final.body?.items as unknown[] | undefined) ?? []).length;
  t.ok(lines === 0 || lines === 1, `the line is there or not, never twice (${lines})`);
});

t.test('logins of one account racing to merge one guest cart: all succeed, quantities counted once', async (t) => {
  const h = await harness(t, { env: { ...env, LOGIN_RATE_LIMIT_PER_MINUTE: '1000000' } });
  const base = await listening(h);
  const [a, b] = await Promise.all([makeProduct(h, 100), makeProduct(h, 100)]);
  const email = `merge-${randomUUID()}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const userId = await ensureUser(h.databaseUrl, { email, password, name: 'Merge', role: 'customer' });
  for (let round = 0; round < 3; round++) {
    const cartId = await guestCart(base, [a.id, b.id], 2);
    // argon2 makes each login slow; 12 at once is more than any shopper's tabs and still overlaps.
    const results = await Promise.all(
      Array.from({ length: 12 }, () => call(base, 'POST', '/v1/auth/login', {}, { email, password, guestCartId: cartId })),
    );
    t.same(tally(results), { 200: 12 }, `round ${round}: every login succeeded`);
    t.equal((await h.sql('SELECT 1 FROM carts WHERE id = $1', [cartId])).length, 0, 'the guest cart is gone');
  }
  const rows = await h.sql<{ product_id: number; quantity: number }>(
    'SELECT ci.product_id, ci.quantity FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.user_id = $1 ORDER BY ci.product_id',
    [userId],
  );
  t.same(
    rows.map((r) => r.quantity),
    [6, 6],
    'each guest cart was merged exactly once (3 rounds x 2)',
  );
  t.equal((await h.sql('SELECT 1 FROM carts WHERE user_id = $1', [userId])).length, 1, 'one account cart');
});

t.test('the merge endpoint called many times at once for one guest cart merges it once', async (t) => {
  const h = await harness(t, { env });
  const base = await listening(h);
  const p = await makeProduct(h, 100);
  const cartId = await guestCart(base, [p.id], 3);
  const u = await newCustomer(h);
  const results = await Promise.all(
    Array.from({ length: ROUNDS }, () => call(base, 'POST', '/v1/cart/merge', u.auth, { guestCartId: cartId })),
  );
  t.same(tally(results), { 200: ROUNDS });
  const carts = await h.sql<{ quantity: number }>(
    'SELECT ci.quantity FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.user_id = $1',
    [u.id],
  );
  t.same(
    carts.map((c) => c.quantity),
    [3],
    'merged exactly once',
  );
});

t.test('two customers merging the same guest cart: one gets the items, neither gets a 5xx', async (t) => {
  const h = await harness(t, { env });
  const base = await listening(h);
  const p = await makeProduct(h, 100);
  const cartId = await guestCart(base, [p.id], 1);
  const users = await Promise.all(Array.from({ length: 20 }, () => newCustomer(h)));
  const results = await Promise.all(users.map((u) => call(base, 'POST', '/v1/cart/merge', u.auth, { guestCartId: cartId })));
  t.same(tally(results), { 200: 20 });
  const { n } = await h.one<{ n: number }>(
    'SELECT count(*)::int AS n FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.user_id = ANY($1::uuid[])',
    [users.map((u) => u.id)],
  );
  t.equal(n, 1, 'the guest line landed in exactly one account');
});

t.test('guest adds racing on one guest cart, and on a cart being merged, give no 5xx', async (t) => {
  const h = await harness(t, { env });
  const base = await listening(h);
  const products = await Promise.all(Array.from({ length: 4 }, () => makeProduct(h, 100)));
  const cartId = await guestCart(base, [products[0]?.id as number]);
  const u = await newCustomer(h);
  const results = await Promise.all([
    ...Array.from({ length: ROUNDS }, (_, i) =>
      call(base, 'PUT', `/v1/cart/items/${products[i % products.length]?.id}`, { 'x-cart-id': cartId }, { quantity: 1 }),
    ),
    call(base, 'POST', '/v1/cart/merge', u.auth, { guestCartId: cartId }),
  ]);
  const statuses = tally(results);
  t.notOk(
    Object.keys(statuses).some((s) => Number(s) >= 500),
    `no 5xx: ${JSON.stringify(statuses)}`,
  );
  // Adds that lost the race to the merge are told the guest cart is gone, nothing else.
  for (const r of results.filter((r) => r.status !== 200)) {
    t.equal(r.status, 404);
    t.equal((r.body?.error as { code?: string })?.code, 'CART_NOT_FOUND');
  }
});

t.test('registrations racing for one email: one account, the rest told 409', async (t) => {
  const h = await harness(t, { env: { ...env, LOGIN_RATE_LIMIT_PER_MINUTE: '1000000' } });
  const base = await listening(h);
  const email = `reg-${randomUUID()}@example.test`;
  const results = await Promise.all(
    Array.from({ length: 12 }, () => call(base, 'POST', '/v1/auth/register', {}, { email, password: 'long enough password', name: 'Reg' })),
  );
  t.same(tally(results), { 201: 1, 409: 11 });
  t.equal((await h.sql('SELECT 1 FROM users WHERE email = $1', [email])).length, 1);
});
