/**
 * `make schema-compat`: expand/contract, checked. Rollback never undoes a migration and a rolling
 * update runs old and new pods at once, so the previous release's API must work on the schema
 * the current migrations produce. This takes the previous release's API source from git, migrates
 * a fresh database with the CURRENT migrations, seeds it with the current seed, starts the OLD API
 * on it, and runs a shopper's smoke checks against it: readiness, catalog, product page,
 * register, log in, cart, checkout.
 *
 * Previous release: PREVIOUS_RELEASE=<git ref>, else the commit before the newest migration
 * was added (HEAD when the newest migration is not committed yet), so the check always spans
 * the newest schema change. Needs PostgreSQL: DHAKACART_TEST_PG_ADMIN_URL (make test's), or
 * it starts its own (devstack). EXTRA_MIGRATION_SQL adds one more migration after the current
 * ones (the seeded fault of the test: a contract step that breaks the old API).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

const root = join(import.meta.dirname, '..', '..', '..');
const migrationsPath = 'services/api/prisma/migrations';

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The release to check against, and why that one. */
export function previousRelease(): { ref: string; why: string } {
  if (process.env.PREVIOUS_RELEASE) return { ref: git('rev-parse', process.env.PREVIOUS_RELEASE), why: 'PREVIOUS_RELEASE' };
  const onDisk = readdirSync(join(root, migrationsPath)).sort();
  const committed = git('ls-tree', '--name-only', `HEAD:${migrationsPath}`).split('\n').sort();
  const newest = onDisk.at(-1) as string;
  if (!committed.includes(newest)) return { ref: git('rev-parse', 'HEAD'), why: `HEAD (migration ${newest} is not committed yet)` };
  const added = git('log', '-1', '--diff-filter=A', '--format=%H', '--', `${migrationsPath}/${newest}`);
  const parent = git('rev-parse', `${added}^`);
  return { ref: parent, why: `the commit before ${newest} was added (${added.slice(0, 12)})` };
}

/** The previous release's API, ready to run under tsx (cached per commit in .cache/deploy/). */
export function checkoutPrevious(ref: string, log: (s: string) => void): string {
  const dir = join(root, '.cache', 'deploy', 'schema-compat', ref);
  const api = join(dir, 'services', 'api');
  if (existsSync(join(dir, '.complete'))) return api;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`extracting the API of ${ref.slice(0, 12)} into ${dir.slice(root.length + 1)}`);
  const tar = execFileSync('git', ['archive', '--format=tar', ref, 'services/api', 'package.json', 'tsconfig.base.json'], {
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  // Today's dependencies: a release whose own lockfile differs would need its own npm ci
  // (CI's main run could pass that build; here the suite must stay offline and fast).
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  if (existsSync(join(root, 'services/api/node_modules'))) symlinkSync(join(root, 'services/api/node_modules'), join(api, 'node_modules'));
  execFileSync(join(root, 'node_modules/.bin/prisma'), ['generate'], {
    cwd: api,
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
    stdio: 'pipe',
  });
  writeFileSync(join(dir, '.complete'), '');
  return api;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface Step {
  name: string;
  ok: boolean;
  detail: string;
}

/** A shopper's path through the API at `base`; stops at the first failure. */
export async function shopperSmoke(base: string): Promise<Step[]> {
  const steps: Step[] = [];
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await r.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: r.status, json, text };
  };
  const step = async (name: string, fn: () => Promise<string | null>) => {
    if (steps.some((s) => !s.ok)) return;
    try {
      const why = await fn();
      steps.push({ name, ok: why === null, detail: why ?? 'ok' });
    } catch (err) {
      steps.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  };
  let product: { id: string; slug: string } | undefined;
  let token = '';
  const email = `compat-${randomUUID().slice(0, 8)}@dhakacart.test`;
  const password = `compat-${randomUUID()}`;
  await step('ready (database up, every migration it knows applied)', async () => {
    const r = await call('GET', '/readyz');
    return r.status === 200 ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  await step('catalog', async () => {
    const r = await call('GET', '/v1/products?limit=20&sort=newest');
    const items = (r.json.items as { id: string; slug: string; stock?: number }[] | undefined) ?? [];
    product = items.find((p) => (p.stock ?? 1) > 0);
    return r.status === 200 && product ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  await step('product page', async () => {
    const r = await call('GET', `/v1/products/${product?.slug}`);
    return r.status === 200 ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  await step('register', async () => {
    const r = await call('POST', '/v1/auth/register', { email, password, name: 'Compat Shopper' });
    return r.status === 201 ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  await step('log in', async () => {
    const r = await call('POST', '/v1/auth/login', { email, password });
    token = String(r.json.accessToken ?? '');
    return r.status === 200 && token ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  await step('add to cart', async () => {
    const r = await call('PUT', `/v1/cart/items/${product?.id}`, { quantity: 1 }, { authorization: `Bearer ${token}` });
    return r.status === 200 ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  await step('checkout (paid order)', async () => {
    const shipping = { name: 'Compat Shopper', phone: '01712345678', address: 'House 1, Road 2, Dhanmondi', city: 'Dhaka' };
    const r = await call(
      'POST',
      '/v1/checkout',
      { shipping, payment: { provider: 'bkash', sandboxOutcome: 'success' } },
      { authorization: `Bearer ${token}`, 'idempotency-key': `compat-${randomUUID()}` },
    );
    return r.status === 201 || r.status === 200 ? null : `${r.status} ${r.text.slice(0, 200)}`;
  });
  return steps;
}

export interface CompatResult {
  previous: { ref: string; why: string };
  migrations: string[];
  steps: Step[];
  apiLog: string;
}

export async function schemaCompat(log: (s: string) => void = () => {}): Promise<CompatResult> {
  const previous = previousRelease();
  log(`previous release: ${previous.ref.slice(0, 12)} (${previous.why})`);
  const api = checkoutPrevious(previous.ref, log);

  // Today's migrator and seed, from this checkout.
  const { migrate, readMigrations } = await import(join(root, 'services/api/src/db/migrator.ts'));
  const { seedCatalog } = await import(join(root, 'services/api/src/seed/seed.ts'));

  let adminUrl = process.env.DHAKACART_TEST_PG_ADMIN_URL;
  let stopPg: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const { startPostgres } = await import('@dhakacart/devstack');
    const server = await startPostgres();
    adminUrl = server.adminUrl;
    stopPg = () => server.dispose();
  }
  const dbName = `schema_compat_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();

  const migrations: { name: string; sql: string; checksum: string }[] = readMigrations();
  if (process.env.EXTRA_MIGRATION_SQL) {
    const sql = process.env.EXTRA_MIGRATION_SQL;
    migrations.push({ name: '29991231000000_seeded_fault', sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  let child: ReturnType<typeof spawn> | undefined;
  let apiLog = '';
  try {
    // Seed with today's seed on the schema before the extra step (a contract migration runs
    // after a release that no longer needs the column has been seeded and serving).
    const plain = migrations.filter((m) => m.name !== '29991231000000_seeded_fault');
    await migrate(dbUrl, () => {}, plain);
    await seedCatalog(dbUrl);
    const result = await migrate(dbUrl, () => {}, migrations);
    log(`database migrated with today's ${migrations.length} migrations (${result.applied.join(', ') || 'all applied before seeding'})`);

    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: api,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: dbUrl,
        JWT_SECRET: randomUUID() + randomUUID(),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      apiLog += d;
    });
    child.stderr?.on('data', (d) => {
      apiLog += d;
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let up = false;
    while (!up && Date.now() < deadline && child.exitCode === null) {
      up = await fetch(`${base}/livez`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 250));
    }
    if (!up)
      return {
        previous,
        migrations: migrations.map((m) => m.name),
        steps: [{ name: 'the previous API starts', ok: false, detail: apiLog.slice(-1500) }],
        apiLog,
      };
    log(`the previous release's API is up on ${base}`);
    const steps = await shopperSmoke(base);
    return { previous, migrations: migrations.map((m) => m.name), steps, apiLog };
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await stopPg?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await schemaCompat((s) => console.log(`schema-compat: ${s}`));
  for (const s of r.steps)
    console.log(`${s.ok ? 'PASS' : 'FAIL'} previous API on the new schema: ${s.name}${s.ok ? '' : ` (${s.detail})`}`);
  const failed = r.steps.filter((s) => !s.ok).length;
  if (failed) console.log(r.apiLog.split('\n').slice(-20).join('\n'));
  console.log(`${r.steps.length - failed} passed, ${failed} failed`);
  process.exit(failed || r.steps.length === 0 ? 1 : 0);
}
