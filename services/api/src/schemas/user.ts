import { type Static, Type } from 'typebox';
import { Instant, PageLimit, Uuid } from './primitives.js';

export const Role = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const User = Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), role: Role });
export type User = Static<typeof User>;

/** A user as admins manage them. */
export const UserAccount = Type.Object({ ...User.properties, createdAt: Instant });
export type UserAccount = Static<typeof UserAccount>;

export const Email = Type.String({ format: 'email', maxLength: 254 });
// OWASP ASVS: at least 12 characters when there is no composition rule; long passphrases welcome.
export const Password = Type.String({ minLength: 12, maxLength: 128 });

export const USERS_PER_PAGE = 50;
export const UserQuery = Type.Object(
  {
    limit: PageLimit(100, USERS_PER_PAGE),
    role: Type.Optional(Role),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
  },
  { additionalProperties: false },
);
export type UserQuery = Static<typeof UserQuery>;

export const UserAccountList = Type.Object({ items: Type.Array(UserAccount) });

export const UserId = Type.Object({ id: Uuid });
export const RoleChange = Type.Object({ role: Role }, { additionalProperties: false });
