import underPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';

/**
 * Load shedding: when the event loop is saturated a fast 503 with Retry-After
 * is kinder than a slow timeout, and lets the HPA and other pods take the load.
 * Probes and metrics are never shed: a busy pod must not be killed by its
 * liveness probe, and its metrics are how we see it is busy.
 */
const NEVER_SHED = new Set(['/livez', '/readyz', '/metrics']);

export default fp(
  async (app) => {
    await app.register(underPressure, {
      maxEventLoopDelay: app.config.MAX_EVENT_LOOP_DELAY_MS,
      sampleInterval: 500,
      retryAfter: 5,
      pressureHandler: (request, reply, type, value) => {
        if (NEVER_SHED.has(request.routeOptions.url ?? '')) return;
        app.log.warn({ type, value }, 'shedding load');
        reply.status(503).header('Retry-After', '5');
        // A returned value is sent as the response (the plugin's contract; its types say void).
        return {
          error: {
            code: 'OVERLOADED',
            message: 'the shop is very busy right now; please retry in a few seconds',
            requestId: String(request.id),
          },
        } as unknown as undefined;
      },
    });
  },
  { name: 'under-pressure', dependencies: ['config'] },
);
