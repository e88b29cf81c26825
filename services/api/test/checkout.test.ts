import { createHash, randomUUID } from 'node:crypto';
import t from 'tap';
import { harness } from './helpers/harness.js';
import { addToCart, checkout, makeProduct, SHIPPING, stockOf } from './helpers/shop.js';

t.test('checkout', async (t) => {
  const h = await harness(t);

  t.test('a guest cart survives and merges into the account cart at login', async (t) => {
    const p1 = await makeProduct(h, 10);
    const p2 = await makeProduct(h, 10);
    const u = await h.user();
    await addToCart(h, u.auth, p1.id, 1);
    const guest = await h.app.inject({ method: 'PUT', url: `/v1/cart/items/${p1.id}`, payload: { quantity: 2 } });
    t.equal(guest.statusCode, 200);
    const cartId = guest.json().id;
    await h.app.inject({ method: 'PUT', url: `/v1/cart/items/${p2.id}`, headers: { 'x-cart-id': cartId }, payload: { quantity: 1 } });
    const guestView = await h.app.inject({ method: 'GET', url: '/v1/cart', headers: { 'x-cart-id': cartId } });
    t.equal(guestView.json().itemCount, 3);
    const login = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: u.email, password: u.password, guestCartId: cartId },
    });
    t.equal(login.statusCode, 200);
    const merged = await h.app.inject({ method: 'GET', url: '/v1/cart', headers: u.auth });
    const qty = Object.fromEntries(merged.json().items.map((i: { productId: number; quantity: number }) => [i.productId, i.quantity]));
    t.same(qty, { [p1.id]: 3, [p2.id]: 1 }, 'quantities added up');
    const gone = await h.app.inject({ method: 'GET', url: '/v1/cart', headers: { 'x-cart-id': cartId } });
    t.equal(gone.json().error.code, 'CART_NOT_FOUND', 'the guest cart id cannot be used again');
    const userCartAsGuest = await h.app.inject({ method: 'GET', url: '/v1/cart', headers: { 'x-cart-id': merged.json().id } });
    t.equal(userCartAsGuest.statusCode, 404, "an account's cart id is not a guest credential");
  });

  t.test('a paid order decrements stock, empties the cart and appears in history', async (t) => {
    const p = await makeProduct(h, 5, 250_000);
    const u = await h.user();
    await addToCart(h, u.auth, p.id, 2);
    const res = await checkout(h, u.auth);
    t.equal(res.statusCode, 201);
    const order = res.json();
    t.equal(order.status, 'paid');
    t.equal(order.totalPoisha, 500_000);
    t.match(order.paymentReference, /^BKASH-SBX-/);
    t.equal(await stockOf(h, p.id), 3);
    t.equal((await h.app.inject({ method: 'GET', url: '/v1/cart', headers: u.auth })).json().itemCount, 0);
    const history = await h.app.inject({ method: 'GET', url: '/v1/orders', headers: u.auth });
    t.equal(history.json().items[0].id, order.id);
    const other = await h.user();
    const peek = await h.app.inject({ method: 'GET', url: `/v1/orders/${order.id}`, headers: other.auth });
    t.equal(peek.statusCode, 404, 'another customer cannot see it');
  });

  t.test('a retried checkout with the same Idempotency-Key returns the same order, once', async (t) => {
    const p = await makeProduct(h, 5);
    const u = await h.user();
    await addToCart(h, u.auth, p.id, 1);
    const key = randomUUID();
    const first = await checkout(h, u.auth, key);
    const retry = await checkout(h, u.auth, key);
    t.equal(first.statusCode, 201);
    t.equal(retry.statusCode, 200);
    t.equal(retry.headers['idempotent-replayed'], 'true');
    t.equal(retry.json().id, first.json().id);
    const { n } = await h.one<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [u.id]);
    t.equal(n, 1);
    t.equal(await stockOf(h, p.id), 4, 'stock taken once');
    const different = await h.app.inject({
      method: 'POST',
      url: '/v1/checkout',
      headers: { ...u.auth, 'idempotency-key': key },
      payload: { shipping: { ...SHIPPING, city: 'Chattogram' }, payload: undefined, payment: { provider: 'bkash' } },
    });
    t.equal(different.statusCode, 422);
    t.equal(different.json().error.code, 'IDEMPOTENCY_KEY_REUSED');
    // The same request with its keys in another order is the same request.
    const reordered = await h.app.inject({
      method: 'POST',
      url: '/v1/checkout',
      headers: { ...u.auth, 'idempotency-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify({
        payment: { provider: 'bkash' },
        shipping: { city: SHIPPING.city, address: SHIPPING.address, phone: SHIPPING.phone, name: SHIPPING.name },
      }),
    });
    t.equal(reordered.statusCode, 200, `keys reordered: replayed (${reordered.statusCode})`);
    t.equal(reordered.json().id, first.json().id);
  });

  t.test('a retry of a checkout stored by the previous release (hash of the body as sent) still replays', async (t) => {
    const p = await makeProduct(h, 5);
    const u = await h.user();
    await addToCart(h, u.auth, p.id, 1);
    const key = randomUUID();
    const first = await checkout(h, u.auth, key);
    t.equal(first.statusCode, 201);
    const asSent = createHash('sha256')
      .update(JSON.stringify({ shipping: SHIPPING, payment: { provider: 'bkash' } }))
      .digest('hex');
    await h.sql('UPDATE orders SET request_hash = $1 WHERE id = $2', [asSent, first.json().id]);
    const retry = await checkout(h, u.auth, key);
    t.equal(retry.statusCode, 200);
    t.equal(retry.json().id, first.json().id);
  });

  t.test('a declined payment releases the stock, keeps the cart and says so clearly', async (t) => {
    const p = await makeProduct(h, 5);
    const u = await h.user();
    await addToCart(h, u.auth, p.id, 2);
    const res = await checkout(h, u.auth, randomUUID(), { provider: 'bkash', sandboxOutcome: 'decline' });
    t.equal(res.statusCode, 402);
    t.equal(res.json().error.code, 'PAYMENT_DECLINED');
    t.equal(await stockOf(h, p.id), 5, 'stock returned');
    t.equal((await h.app.inject({ method: 'GET', url: '/v1/cart', headers: u.auth })).json().itemCount, 2, 'cart kept');
    const [order] = await h.sql<{ status: string; failure_code: string }>('SELECT status, failure_code FROM orders WHERE user_id = $1', [
      u.id,
    ]);
    t.same(order, { status: 'payment_failed', failure_code: 'PAYMENT_DECLINED' });
    const retry = await checkout(h, u.auth);
    t.equal(retry.statusCode, 201, 'paying again with a new key works');
  });

  t.test('a payment provider that never answers times out as a clean 402', async (t) => {
    const p = await makeProduct(h, 5);
    const u = await h.user();
    await addToCart(h, u.auth, p.id, 1);
    const started = Date.now();
    const res = await checkout(h, u.auth, randomUUID(), { provider: 'sslcommerz', sandboxOutcome: 'timeout' });
    t.equal(res.statusCode, 402);
    t.equal(res.json().error.code, 'PAYMENT_TIMEOUT');
    t.ok(Date.now() - started < 5000, 'bounded by PAYMENT_TIMEOUT_MS');
    t.equal(await stockOf(h, p.id), 5);
  });

  t.test('a sold-out item gets a clean 409 and nothing is written', async (t) => {
    const p = await makeProduct(h, 1);
    const buyer = await h.user();
    const late = await h.user();
    await addToCart(h, buyer.auth, p.id, 1);
    await addToCart(h, late.auth, p.id, 1);
    t.equal((await checkout(h, buyer.auth)).statusCode, 201);
    const res = await checkout(h, late.auth);
    t.equal(res.statusCode, 409);
    t.equal(res.json().error.code, 'OUT_OF_STOCK');
    t.same(res.json().error.details, [{ productId: p.id, available: 0, requested: 1 }]);
    t.equal(await stockOf(h, p.id), 0);
    const { n } = await h.one<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [late.id]);
    t.equal(n, 0, 'no order row for the refused checkout');
    const adding = await h.app.inject({ method: 'PUT', url: `/v1/cart/items/${p.id}`, headers: late.auth, payload: { quantity: 1 } });
    t.equal(adding.json().error.code, 'OUT_OF_STOCK', 'adding a sold-out item to a cart says so');
  });

  t.test('an empty cart cannot check out', async (t) => {
    const u = await h.user();
    const res = await checkout(h, u.auth);
    t.equal(res.statusCode, 400);
    t.equal(res.json().error.code, 'CART_EMPTY');
  });

  t.test('cancellation returns stock exactly once; staff move orders along; bad transitions are 409', async (t) => {
    const p = await makeProduct(h, 10);
    const u = await h.user();
    const staff = await h.user('staff');
    await addToCart(h, u.auth, p.id, 3);
    const order = (await checkout(h, u.auth)).json();
    t.equal(await stockOf(h, p.id), 7);
    const cancels = await Promise.all(
      Array.from({ length: 5 }, () => h.app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: u.auth })),
    );
    t.equal(cancels.filter((r) => r.statusCode === 200).length, 1, 'one cancel wins');
    t.ok(cancels.filter((r) => r.statusCode !== 200).every((r) => r.json().error.code === 'INVALID_STATUS_TRANSITION'));
    t.equal(await stockOf(h, p.id), 10, 'stock returned once, not five times');

    await addToCart(h, u.auth, p.id, 1);
    const second = (await checkout(h, u.auth)).json();
    const move = (status: string) =>
      h.app.inject({ method: 'PATCH', url: `/v1/admin/orders/${second.id}/status`, headers: staff.auth, payload: { status } });
    t.equal((await move('processing')).json().status, 'processing');
    t.equal((await move('shipped')).json().status, 'shipped');
    const lateCancel = await h.app.inject({ method: 'POST', url: `/v1/orders/${second.id}/cancel`, headers: u.auth });
    t.equal(lateCancel.json().error.code, 'INVALID_STATUS_TRANSITION', 'a shipped order cannot be cancelled by the customer');
    t.equal((await move('delivered')).json().status, 'delivered');
    t.equal((await move('paid')).statusCode, 409);
    const events = await h.sql<{ to_status: string }>('SELECT to_status FROM order_events WHERE order_id = $1 ORDER BY id', [second.id]);
    t.same(
      events.map((e) => e.to_status),
      ['pending_payment', 'paid', 'processing', 'shipped', 'delivered'],
      'full history recorded',
    );
  });

  t.test('a pending order left by a crashed pod is expired and its stock returned', async (t) => {
    const p = await makeProduct(h, 4);
    const u = await h.user();
    await h.sql(
      `WITH o AS (INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider, shipping_name, shipping_phone, shipping_address, shipping_city, created_at)
                  VALUES ($1, 'pending_payment', 150000, 'crashed', 'h', 'bkash', 'n', '01712345678', 'addr', 'Dhaka', now() - interval '1 hour') RETURNING id)
       INSERT INTO order_items SELECT o.id, $2, 'x', 150000, 2 FROM o`,
      [u.id, p.id],
    );
    await h.sql('UPDATE products SET stock = stock - 2 WHERE id = $1', [p.id]);
    const { expireStalePendingOrders } = await import('../src/domain/orders.js');
    const released: string[] = [];
    const payments = { ...h.app.payments, release: async (o: { orderId: string }) => void released.push(o.orderId) };
    t.equal(await expireStalePendingOrders(h.app.db, payments, 15), 1);
    t.equal(await stockOf(h, p.id), 4);
    const [o] = await h.sql<{ id: string; status: string; failure_code: string }>(
      "SELECT id, status, failure_code FROM orders WHERE idempotency_key = 'crashed'",
    );
    t.same({ status: o?.status, failure_code: o?.failure_code }, { status: 'payment_failed', failure_code: 'PAYMENT_EXPIRED' });
    t.same(released, [o?.id], 'whatever the provider captured for it is released');
  });

  t.test('a retry resumes a checkout whose first attempt died after reserving: one order, one payment, paid', async (t) => {
    const p = await makeProduct(h, 4);
    const u = await h.user();
    await addToCart(h, u.auth, p.id, 1);
    const key = randomUUID();
    // The first attempt reserved the stock and died before confirming (a pod killed, a lost connection).
    const body = { shipping: SHIPPING, payment: { provider: 'bkash' } };
    const { requestFingerprint } = await import('../src/domain/orders.js');
    await h.sql(
      `WITH o AS (INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider, shipping_name, shipping_phone, shipping_address, shipping_city, created_at)
                  VALUES ($1, 'pending_payment', 150000, $3, $4, 'bkash', $5, $6, $7, $8, now() - interval '30 seconds') RETURNING id)
       INSERT INTO order_items SELECT o.id, $2, 'x', 150000, 1 FROM o`,
      [u.id, p.id, key, requestFingerprint.of(body), SHIPPING.name, SHIPPING.phone, SHIPPING.address, SHIPPING.city],
    );
    await h.sql('UPDATE products SET stock = stock - 1 WHERE id = $1', [p.id]);
    const retries = await Promise.all(Array.from({ length: 5 }, () => checkout(h, u.auth, key)));
    const statuses = retries.map((r) => r.statusCode);
    t.ok(
      statuses.every((s) => s === 200),
      `every concurrent retry is answered with the order: ${statuses}`,
    );
    const ids = new Set(retries.map((r) => r.json().id));
    t.equal(ids.size, 1, 'one order');
    const [order] = await h.sql<{ status: string; payment_reference: string }>(
      'SELECT status, payment_reference FROM orders WHERE user_id = $1 AND idempotency_key = $2',
      [u.id, key],
    );
    t.equal(order?.status, 'paid');
    t.equal(order?.payment_reference, `BKASH-SBX-${[...ids][0]}`, 'paid with the payment keyed by the order');
    t.equal(await stockOf(h, p.id), 3, 'stock taken once');
  });

  t.test('a retry while the first attempt may still be talking to the provider is told to wait', async (t) => {
    const p = await makeProduct(h, 4);
    const u = await h.user();
    const key = randomUUID();
    const body = { shipping: SHIPPING, payment: { provider: 'bkash' } };
    const { requestFingerprint } = await import('../src/domain/orders.js');
    await h.sql(
      `WITH o AS (INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider, shipping_name, shipping_phone, shipping_address, shipping_city)
                  VALUES ($1, 'pending_payment', 150000, $3, $4, 'bkash', 'n', '01712345678', 'addr', 'Dhaka') RETURNING id)
       INSERT INTO order_items SELECT o.id, $2, 'x', 150000, 1 FROM o`,
      [u.id, p.id, key, requestFingerprint.of(body)],
    );
    const retry = await checkout(h, u.auth, key);
    t.equal(retry.statusCode, 409);
    t.equal(retry.json().error.code, 'CHECKOUT_IN_PROGRESS');
  });
});

t.test('staff stock adjustments are audited and never go negative', async (t) => {
  const h = await harness(t);
  const staff = await h.user('staff');
  const p = await makeProduct(h, 5);
  const adjust = (payload: object) =>
    h.app.inject({ method: 'POST', url: `/v1/admin/products/${p.id}/stock-adjustments`, headers: staff.auth, payload });
  t.equal((await adjust({ delta: 10, reason: 'delivery from supplier' })).json().resultingStock, 15);
  t.equal((await adjust({ setTo: 2, reason: 'stock count' })).json().delta, -13);
  const negative = await adjust({ delta: -3, reason: 'damaged' });
  t.equal(negative.statusCode, 409);
  t.equal(negative.json().error.code, 'NEGATIVE_STOCK');
  t.equal((await adjust({ delta: 1, setTo: 1, reason: 'both' })).json().error.code, 'DELTA_OR_SET_TO');
  const trail = (await h.app.inject({ method: 'GET', url: `/v1/admin/products/${p.id}/stock-adjustments`, headers: staff.auth })).json();
  t.same(
    trail.items.map((a: { delta: number; resultingStock: number; actorId: string }) => [a.delta, a.resultingStock, a.actorId]),
    [
      [-13, 2, staff.id],
      [10, 15, staff.id],
    ],
  );
});

t.test('admin product CRUD', async (t) => {
  const h = await harness(t);
  const staff = await h.user('staff');
  const admin = await h.user('admin');
  const product = {
    sku: 'WAL-FAN-56-TEST',
    slug: 'walton-ceiling-fan-56-test',
    name: 'Walton Ceiling Fan 56 inch Test',
    brand: 'Walton',
    category: 'ceiling-fans',
    pricePoisha: 450_000,
    compareAtPoisha: 500_000,
    specs: { Sweep: '56 inch' },
    initialStock: 12,
  };
  const created = await h.app.inject({ method: 'POST', url: '/v1/admin/products', headers: staff.auth, payload: product });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  t.equal((await h.app.inject({ method: 'GET', url: `/v1/products/${product.slug}` })).json().stock, 12, 'visible in the shop');
  const dup = await h.app.inject({ method: 'POST', url: '/v1/admin/products', headers: staff.auth, payload: product });
  t.equal(dup.json().error.code, 'DUPLICATE_PRODUCT');
  const badPrice = await h.app.inject({
    method: 'PATCH',
    url: `/v1/admin/products/${id}`,
    headers: staff.auth,
    payload: { pricePoisha: 600_000 },
  });
  t.equal(badPrice.json().error.code, 'INVALID_COMPARE_AT_PRICE', 'a "discount" above the old price is refused');
  const patched = await h.app.inject({
    method: 'PATCH',
    url: `/v1/admin/products/${id}`,
    headers: staff.auth,
    payload: { pricePoisha: 420_000 },
  });
  t.equal(patched.json().pricePoisha, 420_000);
  t.equal(
    (await h.app.inject({ method: 'GET', url: `/v1/products/${product.slug}` })).json().pricePoisha,
    420_000,
    'price change visible at once',
  );
  t.equal(
    (await h.app.inject({ method: 'DELETE', url: `/v1/admin/products/${id}`, headers: staff.auth })).statusCode,
    403,
    'retiring is admin-only',
  );
  t.equal((await h.app.inject({ method: 'DELETE', url: `/v1/admin/products/${id}`, headers: admin.auth })).statusCode, 204);
  t.equal((await h.app.inject({ method: 'GET', url: `/v1/products/${product.slug}` })).statusCode, 404, 'retired products leave the shop');
});
