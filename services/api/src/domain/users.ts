import type { Db } from '../db/client.js';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { conflict, notFound } from '../errors.js';
import type { Registration } from '../schemas/session.js';
import { type Role, USERS_PER_PAGE, type User, type UserAccount, type UserQuery } from '../schemas/user.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { RefreshTokens } from './tokens.js';

/**
 * Who a token's bearer is now: the account's current role, null when the account does not
 * exist (any more), or 'revoked' when the login session (`sessionId`, a refresh-token family) was revoked, by
 * logout, by refresh-token theft detection or by a role change. One indexed lookup.
 */
export async function currentRole(db: Db, userId: string, sessionId: string | null): Promise<Role | 'revoked' | null> {
  const [row] = await db.$queryRaw<{ role: Role; revoked: boolean }[]>`
    SELECT u.role::text AS role,
           (${sessionId}::uuid IS NOT NULL AND EXISTS (
              SELECT 1 FROM refresh_tokens r WHERE r.family_id = ${sessionId}::uuid AND r.revoked_at IS NOT NULL)) AS revoked
    FROM users u WHERE u.id = ${userId}::uuid`;
  if (!row) return null;
  return row.revoked ? 'revoked' : row.role;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const asUser = ({ id, email, name, role }: User): User => ({ id, email, name, role });
const asAccount = (user: User & { createdAt: Date }): UserAccount => ({ ...asUser(user), createdAt: user.createdAt.toISOString() });

export async function registerCustomer(db: Db, account: Omit<Registration, 'guestCartId'>): Promise<User> {
  try {
    const user = await db.user.create({
      data: { email: normaliseEmail(account.email), name: account.name.trim(), passwordHash: await hashPassword(account.password) },
    });
    return asUser(user);
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION || (error as { code?: string }).code === 'P2002') {
      throw conflict('EMAIL_TAKEN', 'an account with this email already exists; log in instead');
    }
    throw error;
  }
}

/** The account these credentials open, or null; an unknown email costs as much time as a wrong password. */
export async function userByCredentials(db: Db, email: string, password: string): Promise<User | null> {
  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  return user && ok ? asUser(user) : null;
}

export async function findUser(db: Db, id: string): Promise<User | null> {
  const user = await db.user.findUnique({ where: { id } });
  return user ? asUser(user) : null;
}

/** Oldest first; `email` matches any part of the address. */
export async function listUsers(db: Db, { limit = USERS_PER_PAGE, role, email }: UserQuery): Promise<{ items: UserAccount[] }> {
  const users = await db.user.findMany({
    where: { ...(role ? { role } : {}), ...(email ? { email: { contains: email.toLowerCase() } } : {}) },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  return { items: users.map(asAccount) };
}

/** Recorded in the audit trail; the user is signed out everywhere, so every session starts again under the new role. */
export async function changeRole(
  { db, refreshTokens }: { db: Db; refreshTokens: RefreshTokens },
  userId: string,
  role: Role,
  actorId: string,
): Promise<UserAccount> {
  if (userId === actorId) throw conflict('CANNOT_CHANGE_OWN_ROLE', 'ask another admin to change your role');
  const user = await db.$transaction(async (tx) => {
    const current = await tx.user.findUnique({ where: { id: userId } });
    if (!current) throw notFound('user');
    if (current.role === role) return current;
    await tx.roleChange.create({ data: { userId, fromRole: current.role, toRole: role, actorId } });
    return tx.user.update({ where: { id: userId }, data: { role } });
  });
  await refreshTokens.revokeAllForUser(userId);
  return asAccount(user);
}
