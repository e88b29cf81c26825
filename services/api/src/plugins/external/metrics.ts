import { Registry } from '@prometheus-io/client';
import type { FastifyPluginAsync } from 'fastify';
import fastifyMetrics from 'fastify-metrics';
import fp from 'fastify-plugin';

// fastify-metrics is CommonJS with an ES-style default export: unwrap it once here.
const metricsPlugin = (
  fastifyMetrics as unknown as {
    default: FastifyPluginAsync<Record<string, unknown>>;
  }
).default;

/**
 * Request metrics with explicit buckets around our latency goals (p99 < 25 ms
 * for catalog reads, < 500 ms for checkout) plus the business counters that
 * the dashboards and alerts read.
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export default fp(
  async (app) => {
    // A registry per app instance, not the process-global one: tests run several apps in one process.
    const registry = new Registry();
    await app.register(metricsPlugin, {
      endpoint: {
        url: '/metrics',
        method: 'GET',
        schema: { hide: true },
        config: { access: 'public' },
      },
      defaultMetrics: { enabled: true, register: registry },
      routeMetrics: {
        enabled: { histogram: true, summary: false },
        registeredRoutesOnly: true,
        groupStatusCodes: false,
        routeBlacklist: ['/metrics', '/livez', '/readyz'],
        overrides: {
          histogram: {
            name: 'http_request_duration_seconds',
            buckets: LATENCY_BUCKETS,
            registers: [registry],
          },
          summary: { registers: [registry] },
        },
      },
    });
    const client = app.metrics.client;
    const business = {
      orders: new client.Counter({
        registers: [registry],
        name: 'dhakacart_orders_total',
        help: 'Orders placed, by final checkout status',
        labelNames: ['status'],
      }),
      revenue: new client.Counter({
        registers: [registry],
        name: 'dhakacart_order_revenue_poisha_total',
        help: 'Value of paid orders in poisha',
      }),
      checkoutFailures: new client.Counter({
        registers: [registry],
        name: 'dhakacart_checkout_failures_total',
        help: 'Checkouts that did not produce a paid order, by reason',
        labelNames: ['reason'],
      }),
      cacheRequests: new client.Counter({
        registers: [registry],
        name: 'dhakacart_cache_requests_total',
        help: 'Catalog cache lookups by layer and result',
        labelNames: ['layer', 'result'],
      }),
      redisUp: new client.Gauge({
        registers: [registry],
        name: 'dhakacart_redis_up',
        help: '1 when the API is connected to Redis',
      }),
      dbUp: new client.Gauge({
        registers: [registry],
        name: 'dhakacart_db_up',
        help: '1 when the last readiness check reached the primary database',
      }),
      replicaFallbacks: new client.Counter({
        registers: [registry],
        name: 'dhakacart_db_replica_fallbacks_total',
        help: 'Reads sent to the primary because the replica was unavailable',
      }),
      loginFailures: new client.Counter({
        registers: [registry],
        name: 'dhakacart_login_failures_total',
        help: 'Failed logins by reason',
        labelNames: ['reason'],
      }),
      rateLimited: new client.Counter({
        registers: [registry],
        name: 'dhakacart_rate_limited_total',
        help: 'Requests refused by a rate limit',
        labelNames: ['limit'],
      }),
    };
    app.decorate('businessMetrics', business);
  },
  { name: 'metrics' },
);

declare module 'fastify' {
  interface FastifyInstance {
    businessMetrics: {
      orders: import('@prometheus-io/client').Counter<'status'>;
      revenue: import('@prometheus-io/client').Counter;
      checkoutFailures: import('@prometheus-io/client').Counter<'reason'>;
      cacheRequests: import('@prometheus-io/client').Counter<'layer' | 'result'>;
      redisUp: import('@prometheus-io/client').Gauge;
      dbUp: import('@prometheus-io/client').Gauge;
      replicaFallbacks: import('@prometheus-io/client').Counter;
      loginFailures: import('@prometheus-io/client').Counter<'reason'>;
      rateLimited: import('@prometheus-io/client').Counter<'limit'>;
    };
  }
}
