import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

/**
 * Redis is a cache and rate-limit store only (DESIGN §2): commands fail fast
 * while it is down (no offline queue, short timeouts) so callers fall back
 * immediately instead of queueing requests behind a dead connection, and the
 * client keeps reconnecting in the background.
 */
export default fp(
  async (app) => {
    const url = app.config.REDIS_URL;
    if (!url) {
      app.log.warn('REDIS_URL not set: running without the shared cache and with per-process rate limits');
      app.decorate('redis', null);
      app.decorate('redisReady', () => false);
      return;
    }
    const options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 250,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    const redis = new Redis(url, options);
    const onError = (error: Error) => app.log.warn({ err: { message: error.message } }, 'redis error');
    redis.on('error', onError);
    redis.on('ready', () => {
      app.log.info('redis ready');
      app.businessMetrics.redisUp.set(1);
    });
    redis.on('close', () => app.businessMetrics.redisUp.set(0));
    // Start-up does not wait for Redis: the API must boot and serve while Redis is down.
    redis.connect().catch(() => {});
    app.decorate('redis', redis);
    app.decorate('redisReady', () => redis.status === 'ready');
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  },
  { name: 'redis', dependencies: ['config', 'metrics'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null;
    redisReady: () => boolean;
  }
}
