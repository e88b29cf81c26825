import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import { corsOrigins } from '../../config.js';

/**
 * Security headers and a strict CORS allow-list: only the storefront origins in
 * CORS_ORIGINS may call the API from a browser; an empty list allows none.
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
      // The API serves JSON; the only HTML is the OpenAPI UI, which needs its own inline assets.
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
