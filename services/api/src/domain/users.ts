import type { Db } from '../db/client.js';
import type { Role } from '../generated/prisma/enums.js';

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
