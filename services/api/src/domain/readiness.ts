import type { Db } from '../db/client.js';
import { pendingMigrations, readMigrations } from '../db/migrator.js';
import type { DatabaseCheck } from '../schemas/health.js';

/**
 * Whether the database answers and has every migration this build ships. The build's migrations
 * are read once, here: they are files of the image and cannot change under a running process.
 */
export function databaseCheck(db: Db): () => Promise<DatabaseCheck> {
  const expected = readMigrations();
  return async () => {
    try {
      const pending = await pendingMigrations((sql) => db.$queryRawUnsafe<{ name: string }[]>(sql), expected);
      return { database: 'ok', migrations: pending.length === 0 ? 'ok' : 'pending' };
    } catch {
      return { database: 'down', migrations: 'unknown' };
    }
  };
}
