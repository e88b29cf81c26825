import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { mergeGuestCart } from '../domain/cart.js';
import type { IssuedRefreshToken } from '../domain/tokens.js';
import { findUser, normaliseEmail, registerCustomer, userByCredentials } from '../domain/users.js';
import { unauthorized } from '../errors.js';
import { requirePrincipal } from '../plugins/app/auth.js';
import { Login, RefreshTokenBody, Registration, Session } from '../schemas/session.js';
import { User } from '../schemas/user.js';
import { noContent } from './replies.js';

/** From a session to what a client does with it next: rotate the refresh token, or end the session. */
const sessionLinks = {
  refresh: { operationId: 'refreshSession', requestBody: { refreshToken: '$response.body#/refreshToken' } },
  logout: { operationId: 'logout', requestBody: { refreshToken: '$response.body#/refreshToken' } },
};

const accountGone = () => unauthorized('TOKEN_INVALID', 'account no longer exists');

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const loginLimit = { max: app.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };

  async function session(user: User, refresh?: IssuedRefreshToken): Promise<Session> {
    const token = refresh ?? (await app.refreshTokens.issue(user.id));
    return {
      accessToken: app.signAccessToken({ sub: user.id, role: user.role, sid: token.familyId }),
      accessTokenExpiresIn: app.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: token.token,
      refreshTokenExpiresAt: token.expiresAt.toISOString(),
      user,
      // A fresh login (not a refresh) also makes this a known device for the lockout.
      ...(refresh ? {} : { deviceToken: app.deviceTokens.issue(user.email) }),
    };
  }

  app.post(
    '/register',
    {
      config: { access: 'public', rateLimit: loginLimit },
      schema: { tags: ['auth'], summary: 'Create a customer account', body: Registration, response: { 201: Session } },
      links: { 201: sessionLinks },
    },
    async (request, reply) => {
      const { guestCartId, ...account } = request.body;
      const user = await registerCustomer(app.db, account);
      if (guestCartId) await mergeGuestCart(app.db, user.id, guestCartId);
      return reply.status(201).send(await session(user));
    },
  );

  app.post(
    '/login',
    {
      config: { access: 'public', rateLimit: loginLimit },
      schema: {
        tags: ['auth'],
        summary: 'Log in; a guest cart id given here is merged into the account cart',
        description:
          'Rate limited per IP; after repeated failures the email is locked for a while (429 LOGIN_LOCKED), whether or not it has an account. ' +
          'A deviceToken from an earlier login to this account exempts this device from that lockout (its own failures lock it alone).',
        body: Login,
        response: { 200: Session },
      },
      links: { 200: sessionLinks },
    },
    async (request) => {
      const { password, guestCartId, deviceToken } = request.body;
      const email = normaliseEmail(request.body.email);
      // A genuine device token for this email is throttled on its own, not with the account.
      const device = app.deviceTokens.verify(deviceToken, email);
      await app.loginThrottle.assertNotLocked(email, device);
      const user = await userByCredentials(app.db, email, password);
      if (!user) {
        await app.loginThrottle.recordFailure(email, device);
        app.businessMetrics.loginFailures.inc({ reason: 'invalid_credentials' });
        request.log.warn({ event: 'login_failed', ip: request.ip }, 'login failed');
        throw unauthorized('INVALID_CREDENTIALS', 'email or password is incorrect');
      }
      await app.loginThrottle.recordSuccess(email, device);
      if (guestCartId) await mergeGuestCart(app.db, user.id, guestCartId);
      request.log.info({ event: 'login_succeeded', userId: user.id }, 'login succeeded');
      return session(user);
    },
  );

  app.post(
    '/refresh',
    {
      config: { access: 'public', rateLimit: loginLimit },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new access token and a new refresh token (rotation)',
        operationId: 'refreshSession',
        body: RefreshTokenBody,
        response: { 200: Session },
      },
      links: { 200: sessionLinks },
    },
    async (request) => {
      const { userId, next } = await app.refreshTokens.rotate(request.body.refreshToken);
      const user = await findUser(app.db, userId);
      if (!user) throw accountGone();
      return session(user, next);
    },
  );

  app.post(
    '/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'End this session (revokes the refresh token family)',
        operationId: 'logout',
        body: RefreshTokenBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await app.refreshTokens.revokeFamilyOf(request.body.refreshToken);
      return noContent(reply);
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'customer' },
      schema: { tags: ['auth'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: User } },
    },
    async (request) => {
      const user = await findUser(app.db, requirePrincipal(request).sub);
      if (!user) throw accountGone();
      return user;
    },
  );
};

export default authRoutes;
