import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { corsOrigins } from '../../config.js';

export const HELMET_OPTIONS: HelmetOptions = {
  // The API serves JSON; the only HTML is the OpenAPI UI, which loads its own scripts and styles.
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'same-site' },
};

/**
 * Helmet's headers for our options, worked out once. @fastify/helmet in global mode rebuilds
 * helmet's middleware (CSP parsing included) on every request: ~9% of CPU on a cached catalog
 * read in a profile. Our options contain no per-request parts (no nonces), so the header set is
 * the same for every response and can be computed at start-up by helmet itself.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * Security headers and a strict CORS allow-list: only the storefront origins in
 * CORS_ORIGINS may call the API from a browser; an empty list allows none.
 */
export default fp(
  async (app) => {
    // Not global: it still decorates reply.helmet() for a route that ever needs per-request options.
    await app.register(fastifyHelmet, { ...HELMET_OPTIONS, global: false } as FastifyHelmetOptions);
    // Nothing the API answers may be kept by a browser or an intermediary unless the route says
    // so: per-user answers (carts, orders, sessions) above all. Public catalog reads override it.
    const headers = { ...helmetHeaders(HELMET_OPTIONS), 'cache-control': 'no-store' };
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });

    const allowed = new Set(corsOrigins(app.config));
    await app.register(cors, {
      origin: (origin, cb) => cb(null, origin === undefined ? false : allowed.has(origin)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Cart-Id', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'X-Cart-Id'],
      maxAge: 600,
    });
  },
  { name: 'security', dependencies: ['config'] },
);
