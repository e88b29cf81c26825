import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { unauthorized } from '../errors.js';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  /** The login this token descends from; access tokens carry it as `sid` so revoking it ends them too. */
  familyId: string;
}

/**
 * Refresh tokens are opaque random strings stored only as hashes. Each use
 * rotates the token within its family; presenting a token that was already
 * used means it was copied, so the whole family (every device session derived
 * from that login) is revoked and the user must log in again.
 *
 * One exception, the "reuse interval" of Auth0 and Okta: a token used less than
 * `reuseGraceMs` ago, whose family has not moved on since (no later token used),
 * gets another successor instead. That is a second browser tab that read the
 * shared token before the first tab's new one reached it (localStorage is not
 * synchronous across a browser's processes), or a refresh whose answer was lost
 * on the network. A replay after the family moved on, or later, still revokes.
 */
export class RefreshTokens {
  constructor(
    private readonly db: Db,
    private readonly ttlDays: number,
    private readonly reuseGraceMs: number,
  ) {}

  async issue(userId: string, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlDays * 86_400_000);
    await this.db.refreshToken.create({ data: { userId, familyId, tokenHash: sha256(token), expiresAt } });
    return { token, expiresAt, familyId };
  }

  async rotate(token: string): Promise<{ userId: string; next: IssuedRefreshToken }> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
    if (!row) throw unauthorized('TOKEN_INVALID', 'refresh token is not valid');
    if (row.revokedAt) throw unauthorized('TOKEN_REVOKED', 'this session was signed out; please log in again');
    if (row.expiresAt.getTime() <= Date.now()) throw unauthorized('TOKEN_EXPIRED', 'refresh token expired; please log in again');
    // Claim the token atomically: of two concurrent uses, exactly one wins.
    const claimed = await this.db.refreshToken.updateMany({
      where: { id: row.id, usedAt: null, revokedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0 && !(await this.withinReuseGrace(row.id, row.familyId))) {
      await this.revokeFamily(row.familyId);
      throw unauthorized('TOKEN_REUSED', 'refresh token was already used; all sessions from that login were signed out');
    }
    return { userId: row.userId, next: await this.issue(row.userId, row.familyId) };
  }

  private async withinReuseGrace(id: string, familyId: string): Promise<boolean> {
    const used = await this.db.refreshToken.findUnique({ where: { id }, select: { usedAt: true, revokedAt: true } });
    if (!used?.usedAt || used.revokedAt || Date.now() - used.usedAt.getTime() > this.reuseGraceMs) return false;
    const movedOn = await this.db.refreshToken.count({ where: { familyId, usedAt: { gt: used.usedAt } } });
    return movedOn === 0;
  }

  async revokeFamilyOf(token: string): Promise<void> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
    if (row) await this.revokeFamily(row.familyId);
  }

  async revokeFamily(familyId: string) {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  async revokeAllForUser(userId: string) {
    await this.db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
