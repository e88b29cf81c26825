import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { mergeGuestCart } from '../domain/cart.js';
import type { IssuedRefreshToken } from '../domain/tokens.js';
import { findUser, normaliseEmail, registerCustomer, userByCredentials } from '../domain/users.js';
import { unauthorized } from '../errors.js';
import { Uuid } from '../http/schemas.js';
import { requirePrincipal } from '../plugins/app/auth.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
// OWASP ASVS: at least 12 characters when there is no composition rule; long passphrases welcome.
const Password = Type.String({ minLength: 12, maxLength: 128 });
const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
const UserSchema = Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), role: RoleSchema });
const Session = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresIn: Type.Integer({ description: 'seconds' }),
  refreshToken: Type.String(),
  refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
  user: UserSchema,
  deviceToken: Type.Optional(
    Type.String({
      description:
        'Keep it and send it with later logins to this account: a lockout caused by other people guessing the password does not apply to this device.',
    }),
  ),
});
const DeviceToken = Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_.-]+$' });
const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, { additionalProperties: false });

/** From a session to what a client does with it next: rotate the refresh token, or end the session. */
const sessionLinks = {
  refresh: { operationId: 'refreshSession', requestBody: { refreshToken: '$response.body#/refreshToken' } },
  logout: { operationId: 'logout', requestBody: { refreshToken: '$response.body#/refreshToken' } },
};

const accountGone = () => unauthorized('TOKEN_INVALID', 'account no longer exists');

export default async function authRoutes(app: FastifyInstance) {
  const loginLimit = { max: app.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };

  async function session(
    user: { id: string; email: string; name: string; role: 'customer' | 'staff' | 'admin' },
    refresh?: IssuedRefreshToken,
  ) {
    const token = refresh ?? (await app.refreshTokens.issue(user.id));
    return {
      accessToken: app.signAccessToken({ sub: user.id, role: user.role, sid: token.familyId }),
      accessTokenExpiresIn: app.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: token.token,
      refreshTokenExpiresAt: token.expiresAt.toISOString(),
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      // A fresh login (not a refresh) also makes this a known device for the lockout.
      ...(refresh ? {} : { deviceToken: app.deviceTokens.issue(user.email) }),
    };
  }

  app.post(
    '/register',
    {
      config: { access: 'public', rateLimit: loginLimit },
      schema: {
        tags: ['auth'],
        summary: 'Create a customer account',
        body: Type.Object(
          { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 100 }), guestCartId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: { 201: Session },
      },
      links: { 201: sessionLinks },
    },
    async (request, reply) => {
      const { guestCartId, ...account } = request.body as { email: string; password: string; name: string; guestCartId?: string };
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
        body: Type.Object(
          {
            email: Email,
            password: Type.String({ minLength: 1, maxLength: 128 }),
            guestCartId: Type.Optional(Uuid),
            deviceToken: Type.Optional(DeviceToken),
          },
          { additionalProperties: false },
        ),
        response: { 200: Session },
      },
      links: { 200: sessionLinks },
    },
    async (request) => {
      const body = request.body as { email: string; password: string; guestCartId?: string; deviceToken?: string };
      const email = normaliseEmail(body.email);
      // A genuine device token for this email is throttled on its own, not with the account.
      const device = app.deviceTokens.verify(body.deviceToken, email);
      await app.loginThrottle.assertNotLocked(email, device);
      const user = await userByCredentials(app.db, email, body.password);
      if (!user) {
        await app.loginThrottle.recordFailure(email, device);
        app.businessMetrics.loginFailures.inc({ reason: 'invalid_credentials' });
        request.log.warn({ event: 'login_failed', ip: request.ip }, 'login failed');
        throw unauthorized('INVALID_CREDENTIALS', 'email or password is incorrect');
      }
      await app.loginThrottle.recordSuccess(email, device);
      if (body.guestCartId) await mergeGuestCart(app.db, user.id, body.guestCartId);
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
        body: RefreshBody,
        response: { 200: Session },
      },
      links: { 200: sessionLinks },
    },
    async (request) => {
      const { userId, next } = await app.refreshTokens.rotate((request.body as { refreshToken: string }).refreshToken);
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
        body: RefreshBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await app.refreshTokens.revokeFamilyOf((request.body as { refreshToken: string }).refreshToken);
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'customer' },
      schema: { tags: ['auth'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: UserSchema } },
    },
    async (request) => {
      const user = await findUser(app.db, requirePrincipal(request).sub);
      if (!user) throw accountGone();
      return user;
    },
  );
}
