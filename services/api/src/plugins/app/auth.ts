import jwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DeviceTokens } from '../../domain/device-tokens.js';
import { LoginThrottle } from '../../domain/login-throttle.js';
import { RefreshTokens } from '../../domain/tokens.js';
import { currentRole } from '../../domain/users.js';
import { AppError, forbidden, unauthorized } from '../../errors.js';
import type { Role } from '../../generated/prisma/enums.js';

/**
 * Who may call a route. Every /v1 route must declare one (checked when the
 * route is registered), so a new route cannot ship without an access rule.
 * - public: anyone; optional: anyone, identified if a token is sent;
 * - customer: any signed-in user; staff: staff or admin; admin: admin only.
 */
export type Access = 'public' | 'optional' | 'customer' | 'staff' | 'admin';

export interface AccessClaims {
  sub: string;
  role: Role;
  /** The login session (refresh-token family); absent only in tokens signed before it existed. */
  sid?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RANK: Record<Role, number> = { customer: 1, staff: 2, admin: 3 };
const REQUIRED_RANK: Record<Exclude<Access, 'public' | 'optional'>, number> = { customer: 1, staff: 2, admin: 3 };

export default fp(
  async (app) => {
    await app.register(jwt, {
      secret: app.config.JWT_SECRET,
      sign: { algorithm: 'HS256', expiresIn: app.config.ACCESS_TOKEN_TTL_SECONDS, iss: 'dhakacart', aud: 'dhakacart-api' },
      // Only HS256: `alg: none` and algorithm-confusion tokens are rejected.
      // Every claim we sign is required: a token signed with our key but missing any is refused.
      verify: {
        algorithms: ['HS256'],
        allowedIss: 'dhakacart',
        allowedAud: 'dhakacart-api',
        requiredClaims: ['sub', 'role', 'iss', 'aud', 'iat', 'exp'],
        maxAge: app.config.ACCESS_TOKEN_TTL_SECONDS, // seconds, counted from iat
      },
    });

    app.decorate(
      'refreshTokens',
      new RefreshTokens(app.db, app.config.REFRESH_TOKEN_TTL_DAYS, app.config.REFRESH_REUSE_GRACE_SECONDS * 1000),
    );
    app.decorate('loginThrottle', new LoginThrottle(app.db, app.config.LOGIN_MAX_FAILURES, app.config.LOGIN_LOCKOUT_MINUTES));
    app.decorateRequest('principal', null);

    async function identify(request: FastifyRequest): Promise<AccessClaims | null> {
      const header = request.headers.authorization;
      if (!header) return null;
      if (!/^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header)) throw unauthorized('TOKEN_INVALID', 'Authorization must be "Bearer <token>"');
      let claims: AccessClaims;
      try {
        claims = await request.jwtVerify<AccessClaims>();
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw unauthorized('TOKEN_EXPIRED', 'access token expired; refresh it');
        throw unauthorized('TOKEN_INVALID', 'access token is not valid');
      }
      // A well-signed token is still checked: its subject must be a user id, and that user must
      // exist now (a deleted account's tokens stop working at once, not at expiry).
      const sid = claims.sid;
      if (
        typeof claims.sub !== 'string' ||
        !UUID.test(claims.sub) ||
        !(claims.role in RANK) ||
        (sid !== undefined && !UUID.test(String(sid)))
      ) {
        throw unauthorized('TOKEN_INVALID', 'access token is not valid');
      }
      const role = await currentRole(app.db, claims.sub, sid ?? null);
      if (!role) throw unauthorized('TOKEN_INVALID', 'account no longer exists');
      if (role === 'revoked') throw unauthorized('TOKEN_REVOKED', 'this session was signed out; please log in again');
      // Roles are checked as they are now, not as they were when the token was signed.
      return { sub: claims.sub, role, ...(sid ? { sid } : {}) };
    }

    const rules: { method: string; url: string; access: Access }[] = [];
    app.decorate('accessRules', rules);
    app.addHook('onRoute', (route) => {
      const access = (route.config as { access?: Access } | undefined)?.access;
      if (!route.url.startsWith('/v1')) return;
      if (!access) throw new Error(`route ${route.method} ${route.url} declares no config.access`);
      for (const method of [route.method].flat()) if (method !== 'HEAD') rules.push({ method, url: route.url, access });
      if (access === 'public') return;
      // onRequest, before body parsing and validation: an unauthorised caller learns nothing about the body rules.
      const hooks = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [
        async (request: FastifyRequest) => {
          const principal = await identify(request);
          if (access === 'optional') {
            request.principal = principal;
            return;
          }
          if (!principal) throw unauthorized();
          if (RANK[principal.role] < REQUIRED_RANK[access]) throw forbidden();
          request.principal = principal;
        },
        ...hooks,
      ];
    });

    app.decorate('signAccessToken', (claims: AccessClaims) =>
      app.jwt.sign({ sub: claims.sub, role: claims.role, ...(claims.sid ? { sid: claims.sid } : {}) }),
    );
    app.decorate('deviceTokens', new DeviceTokens(app.config.JWT_SECRET, app.config.DEVICE_TOKEN_TTL_DAYS));
  },
  { name: 'auth', dependencies: ['config', 'db'] },
);

export function requirePrincipal(request: FastifyRequest): AccessClaims {
  if (!request.principal) throw new AppError(401, 'UNAUTHORIZED', 'authentication required');
  return request.principal;
}

declare module 'fastify' {
  interface FastifyInstance {
    refreshTokens: RefreshTokens;
    loginThrottle: LoginThrottle;
    signAccessToken: (claims: AccessClaims) => string;
    deviceTokens: DeviceTokens;
    /** Every /v1 route and who may call it (for the RBAC test and docs). */
    accessRules: { method: string; url: string; access: Access }[];
  }
  interface FastifyRequest {
    principal: AccessClaims | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}
