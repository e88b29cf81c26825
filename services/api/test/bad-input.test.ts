import t from 'tap';
import { harness } from './helpers/harness.js';
import { addToCart, makeProduct, SHIPPING } from './helpers/shop.js';

t.test('bad input gets a 4xx with a stable code, never a 5xx or a stack trace, and writes nothing', async (t) => {
  const h = await harness(t, { env: { BODY_LIMIT_BYTES: '16384' } });
  const u = await h.user();
  const p = await makeProduct(h, 5);
  await addToCart(h, u.auth, p.id, 1);
  const snapshot = () =>
    h.sql(
      'SELECT (SELECT count(*) FROM orders) o, (SELECT count(*) FROM users) u, (SELECT sum(stock) FROM products) s, (SELECT count(*) FROM cart_items) c',
    );
  const before = await snapshot();
  const json = { 'content-type': 'application/json' };
  const checkoutHeaders = { ...u.auth, ...json, 'idempotency-key': 'abcdefgh-1234' };

  const cases: {
    name: string;
    method: 'GET' | 'POST' | 'PUT' | 'PATCH';
    url: string;
    headers?: Record<string, string>;
    body?: string;
    status: number;
    code: string;
  }[] = [
    {
      name: 'malformed JSON',
      method: 'POST',
      url: '/v1/auth/login',
      headers: json,
      body: '{"email": "a@b.c", "password": ',
      status: 400,
      code: 'INVALID_JSON',
    },
    { name: 'empty JSON body', method: 'POST', url: '/v1/auth/login', headers: json, body: '', status: 400, code: 'EMPTY_JSON_BODY' },
    {
      name: 'wrong type',
      method: 'PUT',
      url: `/v1/cart/items/${p.id}`,
      headers: { ...u.auth, ...json },
      body: '{"quantity":"5"}',
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'unknown field',
      method: 'PUT',
      url: `/v1/cart/items/${p.id}`,
      headers: { ...u.auth, ...json },
      body: '{"quantity":1,"price":1}',
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'prototype pollution',
      method: 'POST',
      url: '/v1/auth/login',
      headers: json,
      body: '{"__proto__":{"role":"admin"},"email":"a@b.co","password":"x"}',
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'huge body',
      method: 'POST',
      url: '/v1/auth/login',
      headers: json,
      body: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(50_000) }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'wrong media type',
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      body: '<login/>',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    { name: 'path traversal in a slug', method: 'GET', url: '/v1/products/..%2F..%2Fetc%2Fpasswd', status: 400, code: 'VALIDATION_FAILED' },
    { name: 'path traversal segments', method: 'GET', url: '/v1/products/../../etc/passwd', status: 404, code: 'ROUTE_NOT_FOUND' },
    // Router errors: answered by frameworkErrors, before any route or hook runs.
    { name: 'broken percent-encoding in the path', method: 'GET', url: '/v1/products/%E0%A4%A', status: 400, code: 'BAD_URL' },
    {
      name: 'path parameter over 200 characters',
      method: 'GET',
      url: `/v1/products/${'a'.repeat(201)}`,
      status: 400,
      code: 'PARAM_TOO_LONG',
    },
    {
      name: 'SQL injection in search',
      method: 'GET',
      url: `/v1/products?q=${encodeURIComponent("'; DROP TABLE products; --")}`,
      status: 200,
      code: '',
    },
    {
      name: 'SQL injection in a slug',
      method: 'GET',
      url: `/v1/products/${encodeURIComponent("x' OR '1'='1")}`,
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'SQL injection in a filter',
      method: 'GET',
      url: `/v1/products?brand=${encodeURIComponent("Samsung' OR 1=1 --")}`,
      status: 200,
      code: '',
    },
    {
      name: 'integer overflow id',
      method: 'PUT',
      url: '/v1/cart/items/99999999999999999999',
      headers: { ...u.auth, ...json },
      body: '{"quantity":1}',
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'negative quantity',
      method: 'PUT',
      url: `/v1/cart/items/${p.id}`,
      headers: { ...u.auth, ...json },
      body: '{"quantity":-1}',
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'checkout without idempotency key',
      method: 'POST',
      url: '/v1/checkout',
      headers: { ...u.auth, ...json },
      body: JSON.stringify({ shipping: SHIPPING, payment: { provider: 'bkash' } }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'checkout with a bad phone number',
      method: 'POST',
      url: '/v1/checkout',
      headers: checkoutHeaders,
      body: JSON.stringify({ shipping: { ...SHIPPING, phone: '12345' }, payment: { provider: 'bkash' } }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'checkout with an unknown provider',
      method: 'POST',
      url: '/v1/checkout',
      headers: checkoutHeaders,
      body: JSON.stringify({ shipping: SHIPPING, payment: { provider: 'paypal' } }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'role escalation field on register',
      method: 'POST',
      url: '/v1/auth/register',
      headers: json,
      body: JSON.stringify({ email: 'x@example.com', password: 'long enough password', name: 'X', role: 'admin' }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    { name: 'unknown route', method: 'GET', url: '/v1/secret-admin-panel', status: 404, code: 'ROUTE_NOT_FOUND' },
    {
      name: 'malformed bearer token',
      method: 'GET',
      url: '/v1/orders',
      headers: { authorization: 'Bearer not.a.jwt' },
      status: 401,
      code: 'TOKEN_INVALID',
    },
    { name: 'bad uuid', method: 'GET', url: '/v1/orders/not-a-uuid', headers: u.auth, status: 400, code: 'VALIDATION_FAILED' },
    {
      name: 'bad cart id header',
      method: 'GET',
      url: '/v1/cart',
      headers: { 'x-cart-id': "' OR 1=1" },
      status: 400,
      code: 'VALIDATION_FAILED',
    },
  ];

  for (const c of cases) {
    const res = await h.app.inject({ method: c.method, url: c.url, headers: c.headers, payload: c.body });
    t.equal(res.statusCode, c.status, `${c.name}: ${res.statusCode}`);
    if (c.code) {
      const body = res.json();
      t.equal(body.error?.code, c.code, `${c.name}: code ${body.error?.code}`);
      t.type(body.error?.message, 'string');
      t.notMatch(res.body, /\bat .*\.(ts|js):\d+/, `${c.name}: no stack trace`);
    }
  }
  t.same(await snapshot(), before, 'nothing was written by any of them');
  const { n } = await h.one<{ n: number }>('SELECT count(*)::int AS n FROM products');
  t.ok(n > 2000, 'the products table is still there');
});
