import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Our own small migrator (see docs/decisions/0001-own-migrator.md): plain SQL
 * files, one transaction each, a checksum so an applied migration that was
 * edited afterwards stops the deploy, and an advisory lock so that concurrent
 * runners (a Helm hook retried, two `make up`s) apply each file exactly once.
 */
export const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', 'prisma', 'migrations');
const LOCK_KEY = 7_301_202_611; // arbitrary, fixed: every runner must agree on it

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
)`;

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function migrate(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
  migrations = readMigrations(),
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'dhakacart-migrate' });
  await client.connect();
  try {
    await client.query('SET lock_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(HISTORY_DDL);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) log(`warning: database has migration ${name} that this build does not know (newer release?)`);
    }
    const result: MigrateResult = { applied: [], alreadyApplied: 0 };
    for (const m of migrations) {
      const previous = applied.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new MigrationError(`migration ${m.name} was edited after it was applied (checksum mismatch); add a new migration instead`);
        }
        result.alreadyApplied++;
        continue;
      }
      const started = Date.now();
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)', [
          m.name,
          m.checksum,
          Date.now() - started,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MigrationError(`migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
      }
      result.applied.push(m.name);
      log(`applied ${m.name} in ${Date.now() - started} ms`);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Names of migrations this build expects that the database has not applied (readiness check). */
export async function pendingMigrations(
  query: (sql: string) => Promise<{ name: string }[]>,
  migrations = readMigrations(),
): Promise<string[]> {
  let rows: { name: string }[];
  try {
    rows = await query('SELECT name FROM schema_migrations');
  } catch (error) {
    if ((error as Error).message?.includes('schema_migrations')) return migrations.map((m) => m.name);
    throw error;
  }
  const applied = new Set(rows.map((r) => r.name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
