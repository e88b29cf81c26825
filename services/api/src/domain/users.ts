import type { Db } from '../db/client.js';
import type { Role } from '../generated/prisma/enums.js';

/** The role a user has now, or null when the account does not exist (any more). */
export async function currentRole(db: Db, userId: string): Promise<Role | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  return user?.role ?? null;
}
