import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { databaseCheck } from '../domain/readiness.js';
import { Readiness } from '../schemas/health.js';

/**
 * /livez answers while the event loop runs (restart me if not); /readyz says
 * whether to send traffic here: this pod has seen the primary database with
 * every migration this build needs, and is not shutting down. Losing the
 * database afterwards (a failover, a node with the primary powered off) makes
 * it "degraded", not unready: the database is shared, so it would take every
 * pod out of the Service at once, and the ingress would then have nowhere to
 * send even the catalog reads the cache still answers. Writes answer 503 with
 * Retry-After until a primary is back. Redis is optional, so it only shows in
 * the report.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const checkDatabase = databaseCheck(app.db);
  let shuttingDown = false;
  // Set once the primary has been seen fully migrated: until then this pod takes no traffic.
  let verified = false;
  app.decorate('beginShutdown', () => {
    shuttingDown = true;
  });
  // While draining, every response closes its connection: a keep-alive socket that goes idle
  // after close() began would otherwise hold the process open until the keep-alive timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (shuttingDown) reply.header('Connection', 'close');
    done(null, payload);
  });
  // In-flight requests, so shutdown can wait for them before the pools close under their feet.
  // Counted on the HTTP server itself, not in hooks: an answer sent by an earlier hook (a 429
  // from the rate limiter, a 503 from load shedding) skips later onRequest hooks but still runs
  // onResponse, and a hook-based count drifted below zero so drain() never resolved.
  let inFlight = 0;
  let drained: (() => void) | null = null;
  app.server.on('request', (_request, response) => {
    inFlight++;
    response.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  app.decorate('drain', async () => {
    if (inFlight === 0) return;
    await new Promise<void>((resolve) => {
      drained = resolve;
    });
  });
  const probeConfig = { metrics: { disableMetrics: true } } as const;

  app.get('/livez', { schema: { hide: true }, config: probeConfig, logLevel: 'warn' }, async () => ({ status: 'alive' }));

  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: Readiness, 503: Readiness } }, config: probeConfig, logLevel: 'warn' },
    async (_request, reply) => {
      const { database, migrations } = await checkDatabase();
      app.businessMetrics.dbUp.set(database === 'ok' ? 1 : 0);
      if (database === 'ok' && migrations === 'ok') verified = true;
      const redis = app.redis === null ? 'disabled' : app.redisReady() ? 'ok' : 'degraded';
      const status = shuttingDown || migrations === 'pending' || !verified ? 'not_ready' : database === 'ok' ? 'ready' : 'degraded';
      return reply.status(status === 'not_ready' ? 503 : 200).send({ status, checks: { database, migrations, redis, shuttingDown } });
    },
  );
};

// fp: beginShutdown must be visible to server.ts on the root instance.
export default fp(healthRoutes, { name: 'health', dependencies: ['db', 'redis', 'metrics'] });

declare module 'fastify' {
  interface FastifyInstance {
    beginShutdown: () => void;
    /** Resolves when no request is in flight. */
    drain: () => Promise<void>;
  }
}
