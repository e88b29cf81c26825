import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { MigrationError, migrate, pendingMigrations, readMigrations } from '../src/db/migrator.js';
import { freshDatabase } from './helpers/harness.js';

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

function migrationsDir(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

t.test('the project migrations apply to an empty database once, and a rerun is a no-op', async (t) => {
  const url = await freshDatabase(t, { empty: true });
  const first = await migrate(url);
  t.same(
    first.applied,
    readMigrations().map((m) => m.name),
  );
  const second = await migrate(url);
  t.same(second.applied, [], 'nothing applied twice');
  t.equal(second.alreadyApplied, readMigrations().length);
  t.same(await pendingMigrations((sql) => query(url, sql) as Promise<{ name: string }[]>), []);
});

t.test('concurrent runners (a retried Helm hook) apply each migration exactly once', async (t) => {
  const url = await freshDatabase(t, { empty: true });
  const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
  const appliedCounts = results.map((r) => r.applied.length).sort();
  t.same(appliedCounts, [0, 0, readMigrations().length]);
  const rows = await query(url, 'SELECT count(*)::int AS n FROM schema_migrations');
  t.equal(rows[0].n, readMigrations().length);
});

t.test('a failing migration rolls back completely and stops the run', async (t) => {
  const url = await freshDatabase(t, { empty: true });
  const dir = migrationsDir({
    '001_ok': 'CREATE TABLE a (id int);',
    '002_bad': 'CREATE TABLE b (id int); SELECT no_such_function();',
    '003_never': 'CREATE TABLE c (id int);',
  });
  await t.rejects(
    migrate(url, () => {}, readMigrations(dir)),
    MigrationError,
  );
  const tables = await query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  t.same(
    tables.map((r) => r.tablename),
    ['a', 'schema_migrations'],
    'b (same transaction as the failure) and c do not exist',
  );
});

t.test('an applied migration that was edited afterwards stops the deploy', async (t) => {
  const url = await freshDatabase(t, { empty: true });
  await migrate(url, () => {}, readMigrations(migrationsDir({ '001_x': 'CREATE TABLE x (id int);' })));
  const edited = readMigrations(migrationsDir({ '001_x': 'CREATE TABLE x (id bigint);' }));
  await t.rejects(
    migrate(url, () => {}, edited),
    /edited after it was applied/,
  );
});

t.test('readiness sees pending migrations', async (t) => {
  const url = await freshDatabase(t, { empty: true });
  const q = (sql: string) => query(url, sql) as Promise<{ name: string }[]>;
  t.same(
    await pendingMigrations(q),
    readMigrations().map((m) => m.name),
    'no history table = all pending',
  );
  await migrate(url);
  t.same(await pendingMigrations(q), []);
});
