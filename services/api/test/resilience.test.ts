import { randomUUID } from 'node:crypto';
import { startPostgres, startRedis } from '@dhakacart/devstack';
import pg from 'pg';
import t from 'tap';
import { migrate } from '../src/db/migrator.js';
import { seedCatalog } from '../src/seed/seed.js';
import { harness } from './helpers/harness.js';
import { addToCart, checkout, makeProduct } from './helpers/shop.js';

t.test('Redis down: the shop keeps selling, limits fall back per process, no 5xx', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.dispose());
  const h = await harness(t, { env: { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '40' } });
  const u = await h.user();
  const p = await makeProduct(h, 10);
  const ready = async () => (await h.app.inject({ method: 'GET', url: '/readyz' })).json();
  t.equal((await ready()).checks.redis, 'ok');

  await redis.stop();
  await new Promise((r) => setTimeout(r, 300));
  const readiness = await ready();
  t.equal(readiness.status, 'ready', 'still ready without Redis');
  t.equal(readiness.checks.redis, 'degraded');

  const list = await h.app.inject({ method: 'GET', url: '/v1/products?limit=5&sort=price_asc' });
  t.equal(list.statusCode, 200, 'catalog served from the database');
  await addToCart(h, u.auth, p.id, 1);
  t.equal((await checkout(h, u.auth)).statusCode, 201, 'checkout works');

  const codes: number[] = [];
  for (let i = 0; i < 45; i++)
    codes.push((await h.app.inject({ method: 'GET', url: '/v1/categories', remoteAddress: '10.0.0.7' })).statusCode);
  t.notOk(
    codes.some((c) => c >= 500),
    'no 5xx while Redis is down',
  );
  t.ok(codes.includes(429), 'the per-process limiter still limits');

  await redis.start();
  let back = 'degraded';
  for (let i = 0; i < 50 && back !== 'ok'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    back = (await ready()).checks.redis;
  }
  t.equal(back, 'ok', 'reconnects by itself');
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' })).statusCode, 200);
});

t.test('database restart (a failover as clients see it): requests recover without restarting the API', async (t) => {
  // Durable settings, as in production: with synchronous_commit off a crash may lose the last commits.
  const pg = await startPostgres({ durable: true });
  t.teardown(() => pg.dispose());
  const url = pg.urlFor('postgres');
  await migrate(url);
  await seedCatalog(url);
  const h = await harness(t, { databaseUrl: url, redis: false, env: { CACHE_LOCAL_TTL_MS: '0', DATABASE_CONNECT_TIMEOUT_MS: '500' } });
  const u = await h.user();
  const p = await makeProduct(h, 10);
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' })).statusCode, 200, 'pool warmed up');
  t.equal((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'ready (the kubelet has probed it)');

  await pg.crash();
  const during = await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' });
  t.equal(during.statusCode, 503, 'while the database is gone: 503 with a code, not a 500');
  t.equal(during.json().error.code, 'SERVICE_UNAVAILABLE');
  const readiness = await h.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(readiness.statusCode, 200, 'still takes traffic: the database is shared, the cache still answers reads');
  t.same(
    { status: readiness.json().status, database: readiness.json().checks.database },
    { status: 'degraded', database: 'down' },
    'and says it is degraded',
  );
  t.equal((await h.app.inject({ method: 'GET', url: '/livez' })).statusCode, 200, 'but alive: no restart needed');

  await pg.start();
  let status = 0;
  for (let i = 0; i < 30 && status !== 200; i++) {
    status = (await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' })).statusCode;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  t.equal(status, 200, 'serving again after the database came back');
  await addToCart(h, u.auth, p.id, 1);
  const order = await checkout(h, u.auth, randomUUID());
  t.equal(order.statusCode, 201, 'and selling');
  const [row] = await h.sql<{ status: string }>('SELECT status FROM orders WHERE id = $1', [order.json().id]);
  t.equal(row?.status, 'paid', 'the acknowledged order is in the database');
});

t.test('an unreachable read replica: catalog reads fall back to the primary', async (t) => {
  const dead = 'postgresql://postgres@127.0.0.1:1/postgres';
  const h = await harness(t, { env: { DATABASE_REPLICA_URL: dead, CACHE_LOCAL_TTL_MS: '0', DATABASE_CONNECT_TIMEOUT_MS: '300' } });
  const res = await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' });
  t.equal(res.statusCode, 200);
  t.equal(res.json().items.length, 3);
  const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /dhakacart_db_replica_fallbacks_total 1\b/, 'fallback counted once (then the replica is skipped for a while)');
  const again = await h.app.inject({ method: 'GET', url: '/v1/categories' });
  t.equal(again.statusCode, 200);
  t.match((await h.app.inject({ method: 'GET', url: '/metrics' })).body, /dhakacart_db_replica_fallbacks_total 1\b/);
});

t.test('a working read replica serves catalog reads', async (t) => {
  const h = await harness(t, { env: { CACHE_LOCAL_TTL_MS: '0' } });
  const replica = await harness(t, { databaseUrl: h.databaseUrl, env: { DATABASE_REPLICA_URL: h.databaseUrl, CACHE_LOCAL_TTL_MS: '0' } });
  const res = await replica.app.inject({ method: 'GET', url: '/v1/products?limit=2' });
  t.equal(res.statusCode, 200);
  t.match((await replica.app.inject({ method: 'GET', url: '/metrics' })).body, /dhakacart_db_replica_fallbacks_total 0\b/);
});

t.test('a database too busy to answer in time (lock wait past the statement timeout) is a 503 to retry, not a 500', async (t) => {
  const h = await harness(t, { redis: false, env: { CACHE_LOCAL_TTL_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '300' } });
  const u = await h.user();
  const p = await makeProduct(h, 5);
  // Another session holds the products table (a long migration, a stuck admin query).
  const blocker = new pg.Client({ connectionString: h.databaseUrl });
  await blocker.connect();
  t.teardown(() => blocker.end());
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
  for (const [what, res] of [
    ['catalog read', await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' })],
    ['add to cart', await h.app.inject({ method: 'PUT', url: `/v1/cart/items/${p.id}`, headers: u.auth, payload: { quantity: 1 } })],
  ] as const) {
    t.equal(res.statusCode, 503, `${what}: ${res.statusCode}`);
    t.equal(res.json().error.code, 'SERVICE_UNAVAILABLE', `${what}: code`);
    t.ok(Number(res.headers['retry-after']) > 0, `${what}: Retry-After`);
  }
  await blocker.query('ROLLBACK');
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/products?limit=3' })).statusCode, 200, 'serves again once the lock is gone');
});

t.test('a replica shutting down under a read (a drained node, a failover) costs no request: the read moves to the primary', async (t) => {
  const h = await harness(t, { redis: false, env: { CACHE_LOCAL_TTL_MS: '0' } });
  const app = await harness(t, {
    databaseUrl: h.databaseUrl,
    redis: false,
    env: { DATABASE_REPLICA_URL: h.databaseUrl, CACHE_LOCAL_TTL_MS: '0' },
  });
  t.equal((await app.app.inject({ method: 'GET', url: '/v1/products?limit=2&sort=price_asc' })).statusCode, 200, 'replica pool warm');
  // What PostgreSQL does to its sessions when a replica is shut down (fast shutdown: 57P01).
  await h.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dhakacart-api-ro'");
  for (const url of ['/v1/products?limit=2&sort=price_desc', '/v1/products?limit=2&sort=name_asc', '/v1/categories']) {
    const res = await app.app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
  }
});

t.test('a pod that has never seen its database fully migrated takes no traffic', async (t) => {
  const pg = await startPostgres({ durable: false });
  t.teardown(() => pg.dispose());
  const url = pg.urlFor('postgres');
  await pg.crash();
  const h = await harness(t, { databaseUrl: url, redis: false, env: { DATABASE_CONNECT_TIMEOUT_MS: '500' } });
  const down = await h.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(down.statusCode, 503, 'database never reached: not ready');
  t.equal(down.json().status, 'not_ready');
  await pg.start();
  const unmigrated = await h.app.inject({ method: 'GET', url: '/readyz' });
  t.same(
    { code: unmigrated.statusCode, migrations: unmigrated.json().checks.migrations },
    { code: 503, migrations: 'pending' },
    'reached but not migrated: not ready',
  );
  await migrate(url);
  t.equal((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'migrated: ready');
});
