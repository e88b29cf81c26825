import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { sha256 } from './tokens.js';

/**
 * Per-account login throttle in PostgreSQL (shared by all pods, survives a
 * Redis outage). It is keyed by the hashed email whether or not an account
 * exists, so "locked" can be reached for any address and reveals nothing.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly maxFailures: number,
    private readonly lockoutMinutes: number,
  ) {}

  /**
   * Failures are counted per account for clients without a device token, and per device
   * token for clients with one (see DeviceTokens): a stranger's failures never lock the
   * owner's known devices, and a stolen device token is locked out on its own.
   */
  private key(email: string, device: string | null) {
    return sha256(device ? `login-device:${device}` : `login:${email}`);
  }

  async assertNotLocked(email: string, device: string | null = null) {
    const row = await this.db.loginThrottle.findUnique({ where: { emailKey: this.key(email, device) } });
    if (row?.lockedUntil && row.lockedUntil.getTime() > Date.now()) {
      const seconds = Math.ceil((row.lockedUntil.getTime() - Date.now()) / 1000);
      throw new AppError(429, 'LOGIN_LOCKED', `too many failed logins for this account; try again in ${Math.ceil(seconds / 60)} min`, {
        retryAfterSeconds: seconds,
      });
    }
  }

  async recordFailure(email: string, device: string | null = null) {
    const windowMs = this.lockoutMinutes * 60_000;
    // One statement so concurrent failures count correctly; a stale window restarts at 1.
    await this.db.$executeRaw`
      INSERT INTO login_throttle (email_key, failures, window_starts_at)
      VALUES (${this.key(email, device)}, 1, now())
      ON CONFLICT (email_key) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_starts_at < now() - make_interval(secs => ${windowMs / 1000})
                        THEN 1 ELSE login_throttle.failures + 1 END,
        window_starts_at = CASE WHEN login_throttle.window_starts_at < now() - make_interval(secs => ${windowMs / 1000})
                        THEN now() ELSE login_throttle.window_starts_at END,
        locked_until = CASE WHEN login_throttle.window_starts_at >= now() - make_interval(secs => ${windowMs / 1000})
                             AND login_throttle.failures + 1 >= ${this.maxFailures}
                        THEN now() + make_interval(secs => ${windowMs / 1000}) ELSE login_throttle.locked_until END`;
  }

  async recordSuccess(email: string, device: string | null = null) {
    await this.db.loginThrottle.deleteMany({ where: { emailKey: this.key(email, device) } });
  }
}
