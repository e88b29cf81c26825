import { type Static, Type } from 'typebox';
import { Instant, Uuid } from './primitives.js';
import { Email, Password, User } from './user.js';

/** What a login, a registration and a refresh answer with. */
export const Session = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresIn: Type.Integer({ description: 'seconds' }),
  refreshToken: Type.String(),
  refreshTokenExpiresAt: Instant,
  user: User,
  deviceToken: Type.Optional(
    Type.String({
      description:
        'Keep it and send it with later logins to this account: a lockout caused by other people guessing the password does not apply to this device.',
    }),
  ),
});
export type Session = Static<typeof Session>;

export const Registration = Type.Object(
  { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 100 }), guestCartId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type Registration = Static<typeof Registration>;

const DeviceToken = Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_.-]+$' });

export const Login = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 128 }),
    guestCartId: Type.Optional(Uuid),
    deviceToken: Type.Optional(DeviceToken),
  },
  { additionalProperties: false },
);

export const RefreshTokenBody = Type.Object(
  { refreshToken: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
);
