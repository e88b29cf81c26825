/**
 * The API's test harness: a fresh database per test file, cloned from a
 * template that is migrated and seeded once per run; the real app in-process
 * (app.inject) or listening on a loopback port; real Redis with a key prefix of
 * its own. Servers come from the shared PostgreSQL/Redis that `make test`
 * starts, or, when a file is run alone, from ones started here and stopped at
 * the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type PostgresServer, type RedisServer, startPostgres, startRedis } from '@dhakacart/devstack';
import pg from 'pg';
import root, { type Test } from 'tap';
import { createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrator.js';
import { ensureUser, seedCatalog } from '../../src/seed/seed.js';

const TEMPLATE = 'dhakacart_template';
type Tap = Test;

/**
 * The server `make test` shares through `envName`, or else one started here on
 * first use, shared by every subtest of this file and stopped when it is done.
 */
function sharedOrOwn<S extends { dispose(): Promise<void> }>(envName: string, start: () => Promise<S>, url: (s: S) => string) {
  let own: Promise<S> | undefined;
  return async (): Promise<string> => {
    const shared = process.env[envName];
    if (shared) return shared;
    if (!own) {
      const started = start();
      own = started;
      root.teardown(async () => (await started).dispose());
    }
    return url(await own);
  };
}

const adminUrl = sharedOrOwn<PostgresServer>(
  'DHAKACART_TEST_PG_ADMIN_URL',
  () => startPostgres(),
  (s) => s.adminUrl,
);
/** Callers pass their test for symmetry with freshDatabase; the server is per file either way. */
export const redisUrl: (t?: Tap) => Promise<string> = sharedOrOwn<RedisServer>(
  'DHAKACART_TEST_REDIS_URL',
  () => startRedis(),
  (s) => s.url,
);

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrated + seeded once per PostgreSQL server; parallel test files wait on an advisory lock. */
async function ensureTemplate(admin: string) {
  await withClient(admin, async (c) => {
    await c.query('SELECT pg_advisory_lock(4242)');
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (exists.rowCount) return;
      await c.query(`CREATE DATABASE ${TEMPLATE}_building`);
      const url = withDatabase(admin, `${TEMPLATE}_building`);
      await migrate(url);
      await seedCatalog(url);
      await c.query(`ALTER DATABASE ${TEMPLATE}_building RENAME TO ${TEMPLATE}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(4242)');
    }
  });
}

/** A database of this test's own, with the schema and the demo catalog. */
export async function freshDatabase(t: Tap, options: { empty?: boolean } = {}): Promise<string> {
  const admin = await adminUrl();
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withClient(admin, async (c) => {
    if (options.empty) {
      await c.query(`CREATE DATABASE ${name}`);
    } else {
      await ensureTemplate(admin);
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    }
  });
  t.teardown(() => withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  return withDatabase(admin, name);
}

/**
 * What every real API process in the tests needs (see server-process.ts): a database of
 * its own (unless given), the shared Redis under a key prefix of its own, a fresh JWT key.
 */
export async function apiProcessEnv(t: Tap, databaseUrl?: string) {
  return {
    DATABASE_URL: databaseUrl ?? (await freshDatabase(t)),
    REDIS_URL: await redisUrl(t),
    REDIS_KEY_PREFIX: `p${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    // Load shedding has its own test: on a busy CI machine it would answer other tests 503 by design.
    MAX_EVENT_LOOP_DELAY_MS: '0',
  };
}

export function testConfig(overrides: Record<string, string | undefined>): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: randomBytes(32).toString('hex'),
    CORS_ORIGINS: 'http://shop.test',
    SHUTDOWN_DELAY_MS: '0',
    PAYMENT_TIMEOUT_MS: '200',
    // Load shedding is exercised on its own; a busy CI machine must not trip it in other tests.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Tests log in many users from one address; the login limit has a test of its own.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
}

export type TestApp = Awaited<ReturnType<typeof createApp>>;

export interface Harness {
  app: TestApp;
  config: Config;
  databaseUrl: string;
  /** Create a user directly (fast) and log in through the API; returns its bearer header and id. */
  user(
    role?: 'customer' | 'staff' | 'admin',
  ): Promise<{ id: string; email: string; password: string; auth: { authorization: string }; refreshToken: string }>;
  sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Exactly one row, or the test fails here. */
  one<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T>;
}

export async function harness(
  t: Tap,
  options: { env?: Record<string, string | undefined>; redis?: boolean; databaseUrl?: string } = {},
): Promise<Harness> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabase(t));
  const config = testConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redis === false ? undefined : await redisUrl(t),
    REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:`,
    ...options.env,
  });
  const app = await createApp(config);
  t.teardown(() => app.close());
  await app.ready();
  // Start-up never waits for Redis (it is optional); tests start from a connected state so that
  // shared counters and caches behave the same on every run. Tests of Redis outages stop it later.
  if (config.REDIS_URL) {
    for (let i = 0; i < 100 && !app.redisReady(); i++) await new Promise((r) => setTimeout(r, 20));
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {}); // idle clients die when a test crashes the server on purpose
  t.teardown(() => pool.end());

  return {
    app,
    config,
    databaseUrl,
    async user(role = 'customer') {
      const email = `${role}-${randomUUID()}@example.test`;
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const id = await ensureUser(databaseUrl, { email, password, name: `Test ${role}`, role });
      const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const body = res.json();
      return { id, email, password, auth: { authorization: `Bearer ${body.accessToken}` }, refreshToken: body.refreshToken };
    },
    async sql(text, values) {
      return (await pool.query(text, values)).rows;
    },
    async one(text, values) {
      const { rows } = await pool.query(text, values);
      if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${text}`);
      return rows[0];
    },
  };
}
