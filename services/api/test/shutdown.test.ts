/**
 * Shutdown is bounded by the work in flight, not by the connections a busy
 * server has accumulated: after keep-alive shopper traffic (including answers
 * sent by early hooks: 429s, 404s, refused URLs, aborted requests), Redis
 * pub/sub in use, idle sockets and a request still arriving, SIGTERM ends the
 * process cleanly and long before the keep-alive timeout.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { ensureUser } from '../src/seed/seed.js';
import { apiProcessEnv, freshDatabase } from './helpers/harness.js';
import { startServerProcess } from './helpers/server-process.js';

t.test('SIGTERM after busy keep-alive traffic and pub/sub: exits 0 promptly', async (t) => {
  const databaseUrl = await freshDatabase(t);
  const password = 'very secret password 123';
  const email = `admin-${randomUUID()}@example.test`;
  await ensureUser(databaseUrl, { email, password, name: 'Admin', role: 'admin' });
  const delayMs = 300;
  const server = await startServerProcess(t, {
    ...(await apiProcessEnv(t, databaseUrl)),
    SHUTDOWN_DELAY_MS: String(delayMs),
    // Well below the 65 s keep-alive: a shutdown that waits for idle sockets times out and exits 1.
    SHUTDOWN_GRACE_MS: '20000',
    RATE_LIMIT_PER_MINUTE: '150',
  });
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const admin = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };

  // First (before the rate limiter closes in), a catalog write: the cache bumps its generation and publishes it over Redis pub/sub.
  const products = (await (await fetch(`${server.url}/v1/admin/products?limit=1`, { headers: admin })).json()) as {
    items: { id: number }[];
  };
  const patch = await fetch(`${server.url}/v1/admin/products/${products.items[0]?.id}`, {
    method: 'PATCH',
    headers: admin,
    body: JSON.stringify({ featured: true }),
  });
  t.equal(patch.status, 200, 'catalog write (cache invalidation published)');

  // Shopper traffic over keep-alive connections (fetch pools and reuses them).
  const statuses: Record<number, number> = {};
  for (let round = 0; round < 10; round++) {
    const batch = await Promise.all([
      ...Array.from({ length: 20 }, () => fetch(`${server.url}/v1/products?limit=5`)),
      fetch(`${server.url}/v1/no-such-route`),
      fetch(`${server.url}/v1/products/%E0%A4%A`),
      fetch(`${server.url}/v1/categories`),
    ]);
    for (const r of batch) {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      await r.arrayBuffer();
    }
  }
  t.ok((statuses[429] ?? 0) > 0, `the rate limiter answered some requests itself: ${JSON.stringify(statuses)}`);
  t.ok((statuses[200] ?? 0) > 0 && (statuses[404] ?? 0) > 0 && (statuses[400] ?? 0) > 0, 'ordinary, missing and refused answers too');

  // Aborted requests (a shopper navigating away mid-request).
  for (let i = 0; i < 5; i++) {
    const controller = new AbortController();
    const pending = fetch(`${server.url}/v1/products?q=phone`, { signal: controller.signal }).catch(() => null);
    controller.abort();
    await pending;
  }

  // An idle keep-alive connection of our own, and a request whose headers are still arriving.
  const idle = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  const arriving = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  for (const s of [idle, arriving]) s.on('error', () => {});
  await new Promise((r) => arriving.once('connect', r));
  arriving.write('GET /v1/products HTTP/1.1\r\nHost: shop\r\n');
  await sleep(200);

  const started = Date.now();
  server.child.kill('SIGTERM');
  const exit = await server.exit();
  const seconds = (Date.now() - started) / 1000;
  // Exit 0 means within the 20 s grace, far below the 65 s keep-alive that idle sockets would hold it.
  t.equal(exit.code, 0, `exited cleanly (${seconds.toFixed(1)} s): ${JSON.stringify(server.logs.slice(-3))}`);
  t.notOk(
    server.logs.some((l) => String(l.msg).includes('timed out')),
    'no "graceful shutdown timed out"',
  );
  t.ok(
    server.logs.some((l) => l.msg === 'shutdown complete'),
    'shutdown complete',
  );
  idle.destroy();
  arriving.destroy();
});
