import { createRequire } from 'node:module';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

const require = createRequire(import.meta.url);
type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Store;
}
type StoreCtor = new (...args: unknown[]) => Store;
/**
 * Reads (GET) are counted per pod: no Redis round trip on the hottest path, at the price of a
 * limit looser by the pod count. Writes, logins and checkout are counted across all pods.
 */
const READ_KEY = 'read:';
const RedisStore: StoreCtor = require('@fastify/rate-limit/store/RedisStore.js');
const LocalStore: StoreCtor = require('@fastify/rate-limit/store/LocalStore.js');

/**
 * Shared limits live in Redis so every pod counts together; when Redis is down
 * each pod falls back to its own in-memory counter instead of either refusing
 * everyone or limiting no one. A per-process limit is looser by the pod count,
 * which is the right failure direction for a shop.
 */
function fallbackStore(app: FastifyInstance) {
  return class FallbackStore implements Store {
    constructor(
      private readonly shared: Store | null,
      private readonly local: Store,
    ) {}
    static create(params: { continueExceeding: boolean; exponentialBackoff: boolean }) {
      const shared = app.redis
        ? new RedisStore(params.continueExceeding, params.exponentialBackoff, app.redis, `${app.config.REDIS_KEY_PREFIX}rl:`)
        : null;
      return new FallbackStore(shared, new LocalStore(params.continueExceeding, params.exponentialBackoff, 10_000));
    }
    incr(key: string, cb: Callback, timeWindow: number, max: number) {
      const localOnly = key.startsWith(READ_KEY);
      if (localOnly || !this.shared || !app.redisReady()) return this.local.incr(key, cb, timeWindow, max);
      this.shared.incr(key, (err, result) => (err ? this.local.incr(key, cb, timeWindow, max) : cb(null, result)), timeWindow, max);
    }
    child(routeOptions: unknown) {
      return new FallbackStore(this.shared?.child(routeOptions) ?? null, this.local.child(routeOptions));
    }
  };
}

export default fp(
  async (app) => {
    const Store = fallbackStore(app);
    await app.register(rateLimit, {
      global: true,
      max: app.config.RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      // The store constructor receives the plugin's global params; adapt to our factory.
      store: function (this: unknown, params: { continueExceeding: boolean; exponentialBackoff: boolean }) {
        return Store.create(params);
      } as never,
      keyGenerator: (req) => `${req.method === 'GET' || req.method === 'HEAD' ? READ_KEY : 'write:'}${req.ip}`,
      allowList: (req) => ['/livez', '/readyz', '/metrics'].includes(req.routeOptions.url ?? ''),
      onExceeded: (req) => app.businessMetrics.rateLimited.inc({ limit: req.routeOptions.url ?? 'unknown' }),
      errorResponseBuilder: (_req, context) => {
        const error = new AppError(429, 'RATE_LIMITED', `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`);
        return error;
      },
    });
  },
  { name: 'rate-limit', dependencies: ['config', 'redis', 'metrics'] },
);
