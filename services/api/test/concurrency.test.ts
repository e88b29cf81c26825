import { randomUUID } from 'node:crypto';
import t from 'tap';
import { ensureUser } from '../src/seed/seed.js';
import { type Harness, harness } from './helpers/harness.js';
import { addToCart, checkout, makeProduct, stockOf } from './helpers/shop.js';

/** Real concurrency through a real HTTP socket, so requests truly overlap in the database. */
async function customers(h: Harness, n: number) {
  // Users are inserted directly (argon2 x 500 would dominate the test) and get tokens signed by the app.
  const ids = await h.sql<{ id: string }>(
    `INSERT INTO users (email, password_hash, name) SELECT 'load-' || g || '-' || $1 || '@example.test', 'x', 'Load ' || g
     FROM generate_series(1, $2) g RETURNING id`,
    [randomUUID().slice(0, 8), n],
  );
  return ids.map(({ id }) => ({ id, auth: { authorization: `Bearer ${h.app.signAccessToken({ sub: id, role: 'customer' })}` } }));
}

t.test('500 parallel checkouts for 50 units give exactly 50 orders and zero stock', async (t) => {
  const h = await harness(t, { env: { DATABASE_POOL_MAX: '20', RATE_LIMIT_PER_MINUTE: '100000' } });
  const p = await makeProduct(h, 50);
  const buyers = await customers(h, 500);
  await h.sql('INSERT INTO carts (user_id) SELECT unnest($1::uuid[])', [buyers.map((b) => b.id)]);
  await h.sql('INSERT INTO cart_items (cart_id, product_id, quantity) SELECT c.id, $1, 1 FROM carts c WHERE c.user_id = ANY($2::uuid[])', [
    p.id,
    buyers.map((b) => b.id),
  ]);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const results = await Promise.all(
    buyers.map((b) =>
      fetch(`${base}/v1/checkout`, {
        method: 'POST',
        headers: { ...b.auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          shipping: { name: 'Load Test', phone: '01812345678', address: 'Road 1, Mirpur', city: 'Dhaka' },
          payment: { provider: 'bkash' },
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } })),
    ),
  );
  const byStatus: Record<number, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  t.same(byStatus, { 201: 50, 409: 450 }, 'exactly 50 created, every other buyer told it is sold out');
  t.ok(results.filter((r) => r.status === 409).every((r) => r.body.error?.code === 'OUT_OF_STOCK'));
  t.equal(await stockOf(h, p.id), 0, 'stock exactly zero, never negative');
  const [orders] = await h.sql<{ n: number; units: number }>(
    "SELECT count(DISTINCT o.id)::int AS n, sum(i.quantity)::int AS units FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = $1 AND o.status = 'paid'",
    [p.id],
  );
  t.same(orders, { n: 50, units: 50 });
});

t.test('many concurrent retries of one checkout create one order', async (t) => {
  const h = await harness(t, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  const p = await makeProduct(h, 10);
  const [buyer] = await customers(h, 1);
  await addToCart(h, buyer?.auth as Record<string, string>, p.id, 2);
  const key = randomUUID();
  const results = await Promise.all(Array.from({ length: 20 }, () => checkout(h, buyer?.auth as Record<string, string>, key)));
  const statuses = results.map((r) => r.statusCode);
  t.ok(
    statuses.every((s) => [200, 201, 409].includes(s)),
    `statuses: ${[...new Set(statuses)]}`,
  );
  t.equal(statuses.filter((s) => s === 201).length, 1, 'one request created it');
  const ids = new Set(results.filter((r) => r.statusCode !== 409).map((r) => r.json().id));
  t.equal(ids.size, 1, 'every successful answer names the same order');
  t.ok(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'CHECKOUT_IN_PROGRESS'));
  const { n } = await h.one<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [buyer?.id]);
  t.equal(n, 1);
  t.equal(await stockOf(h, p.id), 8);
});

t.test('multi-item carts under contention never deadlock into errors or oversell', async (t) => {
  const h = await harness(t, { env: { DATABASE_POOL_MAX: '20', RATE_LIMIT_PER_MINUTE: '100000' } });
  const a = await makeProduct(h, 30);
  const b = await makeProduct(h, 30);
  const buyers = await customers(h, 60);
  // Half put A then B in the cart, half B then A: the classic lock-order deadlock if rows were locked in cart order.
  for (const [i, buyer] of buyers.entries()) {
    await addToCart(h, buyer.auth, i % 2 ? a.id : b.id, 1);
    await addToCart(h, buyer.auth, i % 2 ? b.id : a.id, 1);
  }
  const results = await Promise.all(buyers.map((buyer) => checkout(h, buyer.auth)));
  const statuses = results.map((r) => r.statusCode);
  t.equal(statuses.filter((s) => s === 201).length, 30);
  t.equal(statuses.filter((s) => s === 409).length, 30);
  t.equal(await stockOf(h, a.id), 0);
  t.equal(await stockOf(h, b.id), 0);
});

t.test('ensureUser is idempotent (used by seeding)', async (t) => {
  const h = await harness(t);
  const id1 = await ensureUser(h.databaseUrl, { email: 'ops@example.test', password: 'long enough password', name: 'Ops', role: 'staff' });
  const id2 = await ensureUser(h.databaseUrl, { email: 'ops@example.test', password: 'long enough password', name: 'Ops', role: 'admin' });
  t.equal(id1, id2);
});
