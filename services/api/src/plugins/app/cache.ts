import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CachedBody } from '../../http/compression.js';

const CHANNEL = 'catalog:invalidate';

/**
 * Two-level cache for hot catalog reads, holding serialised JSON bodies as
 * UTF-8 buffers (written to the socket as they are, no re-encoding per response;
 * gzipped once per local entry, see CachedBody):
 * a tiny in-process map (TTL ~1 s, no network at all on a hit) in front of
 * Redis (shared by all pods). Writes bump a generation number that is part of
 * every key and broadcast it, so all pods drop stale entries at once.
 * Concurrent misses for one key share one load (stampede protection).
 * Redis being down only turns it into a per-process cache.
 */
export class CatalogCache {
  private readonly local = new Map<string, { expires: number; body: CachedBody }>();
  private readonly inflight = new Map<string, Promise<CachedBody>>();
  private generation = '0';
  private invalidationPending = false;

  constructor(private readonly app: FastifyInstance) {}

  async start() {
    const redis = this.app.redis;
    if (!redis) return;
    const subscriber = redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    subscriber.on('error', () => {}); // reported by the main connection
    subscriber.on('message', (_channel: string, generation: string) => this.adopt(generation));
    subscriber.on('ready', () => {
      subscriber.subscribe(CHANNEL).catch(() => {});
      void this.refreshGeneration();
    });
    redis.on('ready', () => {
      // A write made while Redis was away could not bump the shared generation: do it now.
      if (this.invalidationPending) void this.invalidate();
    });
    subscriber.connect().catch(() => {});
    this.app.addHook('onClose', async () => subscriber.disconnect());
  }

  private adopt(generation: string) {
    if (generation !== this.generation) {
      this.generation = generation;
      this.local.clear();
    }
  }

  private async refreshGeneration() {
    const value = await this.app.redis?.get(this.key('gen')).catch(() => null);
    if (value) this.adopt(value);
  }

  private key(name: string) {
    return `${this.app.config.REDIS_KEY_PREFIX}catalog:${name}`;
  }

  async get(name: string, load: () => Promise<unknown>): Promise<CachedBody> {
    const key = `${this.generation}:${name}`;
    const hit = this.local.get(key);
    const metrics = this.app.businessMetrics.cacheRequests;
    if (hit && hit.expires > Date.now()) {
      metrics.inc({ layer: 'local', result: 'hit' });
      return hit.body;
    }
    metrics.inc({ layer: 'local', result: 'miss' });
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const loading = this.loadThrough(key, load).finally(() => this.inflight.delete(key));
    this.inflight.set(key, loading);
    return loading;
  }

  private async loadThrough(key: string, load: () => Promise<unknown>): Promise<CachedBody> {
    const redis = this.app.redisReady() ? this.app.redis : null;
    const metrics = this.app.businessMetrics.cacheRequests;
    const redisKey = this.key(key);
    if (redis) {
      const shared = await redis.getBuffer(redisKey).catch(() => null);
      if (shared !== null) {
        metrics.inc({ layer: 'redis', result: 'hit' });
        return this.remember(key, shared);
      }
      metrics.inc({ layer: 'redis', result: 'miss' });
    }
    const raw = Buffer.from(JSON.stringify(await load()));
    if (redis) redis.set(redisKey, raw, 'EX', this.app.config.CACHE_REDIS_TTL_SECONDS).catch(() => {});
    return this.remember(key, raw);
  }

  private remember(key: string, raw: Buffer): CachedBody {
    const body = new CachedBody(raw);
    if (this.app.config.CACHE_LOCAL_TTL_MS === 0) return body;
    if (this.local.size >= 10_000) this.local.clear(); // bounded memory; a cold second is cheap
    this.local.set(key, { expires: Date.now() + this.app.config.CACHE_LOCAL_TTL_MS, body });
    return body;
  }

  /** After any catalog write: every pod stops serving what it had cached. */
  async invalidate() {
    this.local.clear();
    const redis = this.app.redis;
    try {
      if (!redis || !this.app.redisReady()) throw new Error('redis unavailable');
      const generation = String(await redis.incr(this.key('gen')));
      this.adopt(generation);
      this.invalidationPending = false;
      await redis.publish(CHANNEL, generation);
    } catch {
      // Others converge when Redis returns (see start) or within the Redis TTL.
      this.invalidationPending = true;
      this.generation = `${this.generation}+`;
    }
  }
}

export default fp(
  async (app) => {
    const cache = new CatalogCache(app);
    await cache.start();
    app.decorate('catalogCache', cache);
  },
  { name: 'cache', dependencies: ['config', 'redis', 'metrics'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    catalogCache: CatalogCache;
  }
}
