import underPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

/**
 * Load shedding: when the event loop is saturated a fast 503 with Retry-After
 * is kinder than a slow timeout, and lets the HPA and other pods take the load.
 * Health and metrics routes are exempt (see their route configs).
 */
export default fp(
  async (app) => {
    await app.register(underPressure, {
      maxEventLoopDelay: app.config.MAX_EVENT_LOOP_DELAY_MS,
      retryAfter: 5,
      pressureHandler: (_req, reply, type, value) => {
        app.log.warn({ type, value }, 'shedding load');
        reply.header('Retry-After', '5');
        throw new AppError(503, 'OVERLOADED', 'the shop is very busy right now; please retry in a few seconds');
      },
    });
  },
  { name: 'under-pressure', dependencies: ['config'] },
);
