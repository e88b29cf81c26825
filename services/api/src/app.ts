import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import fp from 'fastify-plugin';
import { type Config, trustProxy } from './config.js';
import { badRequest } from './errors.js';
import { clientErrorHandler, closeRefusedUploadsGently } from './http/connections.js';
import { frameworkErrorBody, installErrorHandling } from './http/errors.js';
import { ErrorResponse } from './http/schemas.js';
import { findUnsafeInput, MAX_JSON_DEPTH, validatorCompiler } from './http/validation.js';
import auth from './plugins/app/auth.js';
import cache from './plugins/app/cache.js';
import db from './plugins/app/db.js';
import payments from './plugins/app/payments.js';
import redis from './plugins/app/redis.js';
import metrics from './plugins/external/metrics.js';
import rateLimit from './plugins/external/rate-limit.js';
import security from './plugins/external/security.js';
import swagger from './plugins/external/swagger.js';
import underPressure from './plugins/external/under-pressure.js';
import adminRoutes from './routes/admin.js';
import authRoutes from './routes/auth.js';
import cartRoutes from './routes/cart.js';
import catalogRoutes from './routes/catalog.js';
import checkoutRoutes from './routes/checkout.js';
import healthRoutes from './routes/health.js';
import orderRoutes from './routes/orders.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Pino options: one JSON line per request, secrets redacted wherever they might appear. */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    messageKey: 'msg',
    base: { service: 'dhakacart-api' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-cart-id"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.token',
        'err.config',
      ],
      censor: '[redacted]',
    },
    serializers: {
      // The query string is dropped from logged URLs: it can carry search text, never needed to debug.
      req: (req) => ({ method: req.method, url: req.url.split('?')[0] }),
    },
  };
}

export function buildServer(config: Config, overrides: FastifyServerOptions = {}) {
  const app = Fastify({
    logger: loggerOptions(config),
    trustProxy: trustProxy(config),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS * 2,
    keepAliveTimeout: 65_000, // longer than Traefik's idle timeout so the proxy closes first
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // One line per request comes from our onResponse hook (with route and user id) instead.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // Errors raised by the router before any hook runs (malformed or oversized URLs) get the same body as all others.
    frameworkErrors: (error, request, reply) => {
      const [status, body] = frameworkErrorBody(error, String(request.id));
      (reply as unknown as { status(n: number): { send(b: unknown): void } }).status(status).send(body);
    },
    clientErrorHandler,
    ...overrides,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('config', config);
  return app;
}

/** The application as a plugin: everything but the process lifecycle (see server.ts). */
export const dhakacart = fp(
  async (app: FastifyInstance) => {
    app.addSchema(ErrorResponse);
    installErrorHandling(app);
    closeRefusedUploadsGently(app);

    app.addHook('onRoute', (route) => {
      // Every route documents the shared error body for 4xx/5xx (OpenAPI and fuzzing rely on it).
      if (route.schema && !route.schema.hide) {
        route.schema.response = {
          '4xx': { $ref: 'ErrorResponse#' },
          '5xx': { $ref: 'ErrorResponse#' },
          ...(route.schema.response as object | undefined),
        };
      }
    });
    // Hooks on every request are callback-style: an async hook costs a promise per request.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('X-Request-Id', request.id);
      done();
    });
    app.addHook('preValidation', (request, _reply, done) => {
      for (const [part, value] of [
        ['body', request.body],
        ['querystring', request.query],
        ['params', request.params],
      ] as const) {
        const unsafe = findUnsafeInput(value);
        if (unsafe?.problem === 'depth') {
          return done(
            badRequest('TOO_DEEPLY_NESTED', `${part} is nested more than ${MAX_JSON_DEPTH} levels deep (at ${unsafe.at.slice(0, 200)})`),
          );
        }
        if (unsafe) {
          return done(badRequest('INVALID_CHARACTERS', `${part} ${unsafe.at.slice(0, 200)} contains a NUL or malformed Unicode character`));
        }
      }
      done();
    });
    // The access log: one line per request with a fixed set of fields, none of them secret, so
    // it skips the redaction every other line goes through (a quarter of the cost of a cached
    // catalog read's logging in a profile). Same destination, level and format as the rest.
    const accessLog = app.log.child({}, { redact: { paths: [] } }) as typeof app.log & { isLevelEnabled(level: string): boolean };
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const probe = route === '/livez' || route === '/readyz' || route === '/metrics';
      const level = probe ? 'debug' : reply.statusCode >= 500 ? 'error' : 'info';
      // The hot path builds nothing it will not log.
      if (accessLog.isLevelEnabled(level)) {
        const qs = request.url.indexOf('?');
        accessLog[level](
          {
            reqId: request.id,
            method: request.method,
            route,
            url: qs === -1 ? request.url : request.url.slice(0, qs),
            statusCode: reply.statusCode,
            responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
            userId: request.principal?.sub ?? null,
            ip: request.ip,
          },
          level === 'error' ? 'request failed' : 'request completed',
        );
      }
      done();
    });

    await app.register(metrics);
    await app.register(security);
    await app.register(redis);
    await app.register(rateLimit);
    await app.register(underPressure);
    await app.register(swagger);
    await app.register(db);
    await app.register(cache);
    await app.register(auth);
    await app.register(payments);

    await app.register(healthRoutes);
    await app.register(catalogRoutes, { prefix: '/v1' });
    await app.register(authRoutes, { prefix: '/v1/auth' });
    await app.register(cartRoutes, { prefix: '/v1/cart' });
    await app.register(checkoutRoutes, { prefix: '/v1/checkout' });
    await app.register(orderRoutes, { prefix: '/v1/orders' });
    await app.register(adminRoutes, { prefix: '/v1/admin' });
  },
  { name: 'dhakacart' },
);

/** Register the config under the name plugins depend on. */
export async function createApp(config: Config, overrides: FastifyServerOptions = {}) {
  const app = buildServer(config, overrides);
  try {
    await app.register(fp(async () => {}, { name: 'config' }));
    await app.register(dhakacart);
    await app.ready();
  } catch (error) {
    // Release whatever the plugins that did load opened (Redis, pools), or the process would hang.
    await app.close().catch(() => {});
    throw error;
  }
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}
