import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { databaseCheck } from '../domain/readiness.js';
import { Readiness } from '../schemas/health.js';

/**
 * /livez answers while the event loop runs (restart me if not); /readyz says
 * whether to send traffic here: the primary DB reachable and fully migrated.
 * Redis is optional for serving, so it degrades readiness' report, not its status.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const checkDatabase = databaseCheck(app.db);
  let shuttingDown = false;
  app.decorate('beginShutdown', () => {
    shuttingDown = true;
  });
  // While draining, every response closes its connection: a keep-alive socket that goes idle
  // after close() began would otherwise hold the process open until the keep-alive timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (shuttingDown) reply.header('Connection', 'close');
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
      const redis = app.redis === null ? 'disabled' : app.redisReady() ? 'ok' : 'degraded';
      const ready = !shuttingDown && database === 'ok' && migrations === 'ok';
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations, redis, shuttingDown } });
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
