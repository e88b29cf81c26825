import fp from 'fastify-plugin';
import { createDb, type Db, isConnectionError } from '../../db/client.js';

const REPLICA_COOLDOWN_MS = 10_000;

/**
 * Reads that may be slightly stale (the catalog) go to the replica when one is
 * configured; if it is unreachable they are retried on the primary and the
 * replica is skipped for a cool-down, so a dead replica costs one failed
 * attempt per 10 s instead of one per request.
 */
export class ReadRouter {
  private replicaDownUntil = 0;
  constructor(
    readonly primary: Db,
    private readonly replica: Db | null,
    private readonly onFallback: (error: unknown) => void,
  ) {}

  async read<T>(query: (db: Db) => Promise<T>): Promise<T> {
    if (!this.replica || Date.now() < this.replicaDownUntil) return query(this.primary);
    try {
      return await query(this.replica);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      this.replicaDownUntil = Date.now() + REPLICA_COOLDOWN_MS;
      this.onFallback(error);
      return query(this.primary);
    }
  }
}

export default fp(
  async (app) => {
    // A dropped connection is logged, not fatal: the pool replaces it on the next query.
    const onError = (error: Error) => app.log.warn({ err: { message: error.message } }, 'database connection error');
    const db = createDb(app.config.DATABASE_URL, app.config, 'dhakacart-api', onError);
    const replica = app.config.DATABASE_REPLICA_URL
      ? createDb(app.config.DATABASE_REPLICA_URL, app.config, 'dhakacart-api-ro', onError)
      : null;
    app.decorate('db', db);
    app.decorate(
      'reads',
      new ReadRouter(db, replica, (error) => {
        app.businessMetrics.replicaFallbacks.inc();
        app.log.warn({ err: { message: (error as Error).message } }, 'replica unavailable; reading from primary');
      }),
    );
    app.addHook('onClose', async () => {
      await Promise.allSettled([db.$disconnect(), replica?.$disconnect()]);
    });
  },
  { name: 'db', dependencies: ['config', 'metrics'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    reads: ReadRouter;
  }
}
