/**
 * Shopper accounts made in bulk, straight in the database, with access tokens
 * signed by the drill: thousands of shoppers must not go through the login,
 * which is rate limited per address and runs argon2 by design. Each account
 * gets a login session (a refresh-token family) so its token names one, as a
 * real login's does.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Target } from './targets/target.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function signAccessToken(secret: string, claims: { sub: string; sid: string; role: string }, ttlSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iss: 'dhakacart', aud: 'dhakacart-api', iat: now, exp: now + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export interface Account {
  id: string;
  token: string;
}

export async function makeAccounts(target: Target, count: number, label: string): Promise<Account[]> {
  const run = `${label}-${randomUUID().slice(0, 8)}`;
  // An unusable password hash: these accounts can only be used with the tokens minted here.
  const users = await target.sql<{ id: string }>(
    `INSERT INTO users (email, password_hash, name)
     SELECT 'drill-' || $1 || '-' || g || '@drill.invalid', '!', 'Drill shopper ' || g FROM generate_series(1, $2) g
     RETURNING id`,
    [run, count],
  );
  const families = users.map(() => randomUUID());
  const hashes = users.map(() => createHash('sha256').update(randomBytes(32)).digest('hex'));
  await target.sql(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     SELECT u, f, h, now() + interval '1 day' FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(u, f, h)`,
    [users.map((u) => u.id), families, hashes],
  );
  return users.map((u, i) => ({
    id: u.id,
    token: signAccessToken(target.jwtSecret, { sub: u.id, sid: families[i] as string, role: 'customer' }, target.accessTokenTtlSeconds),
  }));
}
