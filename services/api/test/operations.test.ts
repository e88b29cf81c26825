import { randomUUID } from 'node:crypto';
import t from 'tap';
import { ensureUser } from '../src/seed/seed.js';
import { apiProcessEnv, freshDatabase, harness } from './helpers/harness.js';
import { startServerProcess } from './helpers/server-process.js';
import { makeProduct } from './helpers/shop.js';

t.test('health, metrics and OpenAPI', async (t) => {
  const h = await harness(t);
  const live = await h.app.inject({ method: 'GET', url: '/livez' });
  t.equal(live.statusCode, 200);
  const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
  t.same(ready.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok', redis: 'ok', shuttingDown: false } });

  await h.app.inject({ method: 'GET', url: '/v1/products?limit=1' });
  const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  for (const name of [
    'http_request_duration_seconds_bucket',
    'dhakacart_orders_total',
    'dhakacart_checkout_failures_total',
    'dhakacart_cache_requests_total',
    'dhakacart_redis_up',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    t.match(metrics, new RegExp(`^(# TYPE )?${name}`, 'm'), `${name} exported`);
  }
  t.match(
    metrics,
    /http_request_duration_seconds_bucket\{le="0.025",method="GET",route="\/v1\/products",status_code="200"\} \d/,
    'explicit buckets, route label is the route pattern',
  );
  t.match(metrics, /http_request_duration_seconds_count\{method="GET",route="\/v1\/products",status_code="200"\} 1\b/);

  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  t.equal(doc.openapi, '3.1.0');
  const paths = Object.keys(doc.paths);
  for (const rule of h.app.accessRules) {
    const openapiPath = rule.url.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    t.ok(paths.includes(openapiPath) || paths.includes(`${openapiPath}/`), `${rule.method} ${rule.url} documented`);
  }
  const ui = await h.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(ui.statusCode, 200, 'OpenAPI UI served');
});

t.test('security headers, strict CORS and request ids', async (t) => {
  const h = await harness(t);
  const res = await h.app.inject({ method: 'GET', url: '/v1/categories', headers: { origin: 'http://shop.test' } });
  t.equal(res.headers['access-control-allow-origin'], 'http://shop.test', 'the storefront origin is allowed');
  t.ok(res.headers['strict-transport-security'], 'HSTS');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.ok(res.headers['x-request-id'], 'request id returned');
  const evil = await h.app.inject({ method: 'GET', url: '/v1/categories', headers: { origin: 'https://evil.example' } });
  t.notOk(evil.headers['access-control-allow-origin'], 'other origins get no CORS grant');
  const traced = await h.app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': 'edge-req-12345678' } });
  t.equal(traced.headers['x-request-id'], 'edge-req-12345678', 'an incoming request id is kept');
  const bogus = await h.app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': 'bad id\u0000' } });
  t.not(bogus.headers['x-request-id'], 'bad id\u0000', 'a malformed one is replaced');
});

t.test('the real process: JSON logs, redaction, config errors and graceful shutdown', async (t) => {
  const databaseUrl = await freshDatabase(t);
  const password = 'very secret password 123';
  const email = `logs-${randomUUID()}@example.test`;
  await ensureUser(databaseUrl, { email, password, name: 'Logs', role: 'customer' });
  const server = await startServerProcess(t, {
    ...(await apiProcessEnv(t, databaseUrl)),
    SHUTDOWN_DELAY_MS: '300',
    SHUTDOWN_GRACE_MS: '10000',
    PAYMENT_TIMEOUT_MS: '1500',
  });

  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'session=abc' },
    body: JSON.stringify({ email, password }),
  });
  t.equal(login.status, 200);
  const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };
  await fetch(`${server.url}/v1/orders`, { headers: { authorization: `Bearer ${accessToken}` } });
  await fetch(`${server.url}/v1/nope`);
  await new Promise((r) => setTimeout(r, 200));

  const requestLines = server.logs.filter((l) => l.msg === 'request completed');
  const ordersLine = requestLines.find((l) => String(l.route).startsWith('/v1/orders'));
  t.ok(ordersLine, 'one line per request');
  t.match(
    ordersLine,
    { level: 'info', method: 'GET', statusCode: 200, userId: user.id, service: 'dhakacart-api' },
    'route, status and user id fields',
  );
  t.type(ordersLine?.responseTimeMs, 'number', 'latency field');
  t.type(ordersLine?.reqId, 'string', 'request id field');
  t.type(ordersLine?.time, 'string');
  t.ok(requestLines.some((l) => l.route === 'unmatched' && l.statusCode === 404));
  const everything = JSON.stringify(server.logs);
  t.notMatch(everything, password, 'password never logged');
  t.notMatch(everything, accessToken, 'token never logged');
  t.notMatch(everything, 'session=abc', 'cookies never logged');

  // Graceful shutdown with a request in flight (a checkout waiting on a slow payment provider).
  const staffProduct = await (async () => {
    const h = await harness(t, { databaseUrl, redis: false });
    return makeProduct(h, 5);
  })();
  await fetch(`${server.url}/v1/cart/items/${staffProduct.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ quantity: 1 }),
  });
  const inFlight = fetch(`${server.url}/v1/checkout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      shipping: { name: 'Shut Down', phone: '01912345678', address: 'Road 2, Uttara', city: 'Dhaka' },
      payment: { provider: 'bkash', sandboxOutcome: 'timeout' },
    }),
  });
  await new Promise((r) => setTimeout(r, 200));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  const readiness = await fetch(`${server.url}/readyz`);
  t.equal(readiness.status, 503, 'readiness off at once after SIGTERM');
  const finished = await inFlight;
  t.equal(finished.status, 402, 'the in-flight request completed with its real answer');
  const exit = await server.exit();
  t.equal(exit.code, 0, `exited cleanly within the grace period: ${JSON.stringify(server.logs.slice(-5))} ${server.stderr.join('')}`);
  t.ok(server.logs.some((l) => l.msg === 'shutdown complete'));
  await t.rejects(fetch(`${server.url}/livez`), 'no longer accepting connections');
});

t.test('a bad configuration stops the process with a message naming the variable', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'server.ts')], {
    env: { PATH: process.env.PATH, DATABASE_URL: 'postgresql://x@127.0.0.1:1/x', JWT_SECRET: 'short-secret-value', PORT: 'http' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  t.equal(res.status, 78, 'EX_CONFIG');
  t.match(res.stderr, /PORT: must be integer/);
  t.match(res.stderr, /JWT_SECRET: must not have fewer than 32 characters/);
  t.notMatch(res.stderr, /short-secret-value/);
});

t.test('the precomputed security headers are exactly what @fastify/helmet would send', async (t) => {
  const Fastify = (await import('fastify')).default;
  const fastifyHelmet = (await import('@fastify/helmet')).default;
  const reference = Fastify();
  const { HELMET_OPTIONS } = await import('../src/plugins/external/security.js');
  await reference.register(fastifyHelmet, HELMET_OPTIONS as never);
  reference.get('/x', async () => ({}));
  const expected = (await reference.inject({ method: 'GET', url: '/x' })).headers;
  const h = await harness(t);
  const actual = (await h.app.inject({ method: 'GET', url: '/livez' })).headers;
  const securityHeaders = Object.keys(expected).filter(
    (k) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(k),
  );
  t.ok(securityHeaders.length >= 10, `${securityHeaders.length} security headers`);
  for (const name of securityHeaders) t.equal(actual[name], expected[name], name);
  await reference.close();
});
