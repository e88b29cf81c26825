import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device tokens (OWASP's "device cookies"): after a successful login the browser
 * keeps a token that names the account it logged in to. The per-account lockout
 * then only stops clients WITHOUT such a token, so a stranger hammering an email
 * with wrong passwords cannot lock its owner out of their own phone; failures
 * made WITH a device token lock out that token alone. Stateless: an HMAC over
 * the email's hash, a nonce and an expiry, with a key derived from the JWT secret.
 */
export class DeviceTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlDays: number,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, '', 'dhakacart device token v1', 32));
  }

  private mac(payload: string) {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private emailTag(email: string) {
    return this.mac(`email:${email}`).slice(0, 22);
  }

  issue(email: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.ttlDays * 86_400;
    const payload = `${this.emailTag(email)}.${randomBytes(12).toString('base64url')}.${expires}`;
    return `${payload}.${this.mac(payload)}`;
  }

  /** The token's stable id (for its own failure count) when it is genuine, unexpired and for this email. */
  verify(token: string | undefined, email: string, now = Date.now()): string | null {
    if (!token) return null;
    const parts = token.split('.');
    if (parts.length !== 4) return null;
    const [tag, nonce, expires, mac] = parts as [string, string, string, string];
    const expected = Buffer.from(this.mac(`${tag}.${nonce}.${expires}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (tag !== this.emailTag(email) || !/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= now) return null;
    return nonce;
  }
}
