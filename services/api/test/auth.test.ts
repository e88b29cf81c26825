import { createHmac } from 'node:crypto';
import t from 'tap';
import { harness } from './helpers/harness.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

t.test('auth', async (t) => {
  const h = await harness(t, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOGIN_MAX_FAILURES: '5' } });
  const post = (url: string, payload: unknown, headers = {}) => h.app.inject({ method: 'POST', url, payload: payload as object, headers });

  t.test('register stores an argon2id hash with at least OWASP parameters and returns a session', async (t) => {
    const res = await post('/v1/auth/register', { email: 'Rahim@Example.com', password: 'correct horse battery', name: 'Rahim' });
    t.equal(res.statusCode, 201);
    const body = res.json();
    t.equal(body.user.email, 'rahim@example.com', 'email normalised');
    t.equal(body.user.role, 'customer', 'self-registration is always a customer');
    const [row] = await h.sql<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'rahim@example.com'");
    const [, algorithm, settings] = row?.password_hash.match(/^\$(argon2id)\$v=19\$([^$]+)\$/) ?? [];
    t.equal(algorithm, 'argon2id', 'argon2id hash');
    const p = Object.fromEntries(
      (settings ?? '')
        .split(',')
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)]),
    );
    t.ok(p.m >= 19456 && p.t >= 2 && p.p >= 1, `OWASP minimum m=19456 t=2 p=1; got m=${p.m} t=${p.t} p=${p.p}`);
    const me = await h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    t.equal(me.json().email, 'rahim@example.com');
    const again = await post('/v1/auth/register', { email: 'rahim@example.com', password: 'another password!', name: 'R' });
    t.equal(again.statusCode, 409);
    t.equal(again.json().error.code, 'EMAIL_TAKEN');
    const weak = await post('/v1/auth/register', { email: 'weak@example.com', password: 'short', name: 'W' });
    t.equal(weak.json().error.code, 'VALIDATION_FAILED');
  });

  t.test('refresh tokens rotate, and reusing one the family has moved past revokes the whole family (grace or not)', async (t) => {
    const u = await h.user();
    const r1 = await post('/v1/auth/refresh', { refreshToken: u.refreshToken });
    t.equal(r1.statusCode, 200);
    const second = r1.json().refreshToken;
    t.not(second, u.refreshToken, 'a new refresh token each time');
    const r2 = await post('/v1/auth/refresh', { refreshToken: second });
    t.equal(r2.statusCode, 200);
    const third = r2.json().refreshToken;
    // An attacker replays the first (stolen) token:
    const replay = await post('/v1/auth/refresh', { refreshToken: u.refreshToken });
    t.equal(replay.statusCode, 401);
    t.equal(replay.json().error.code, 'TOKEN_REUSED');
    const legit = await post('/v1/auth/refresh', { refreshToken: third });
    t.equal(legit.statusCode, 401, 'the legitimate latest token is revoked too');
    t.equal(legit.json().error.code, 'TOKEN_REVOKED');
  });

  t.test('the same token twice within the reuse grace (two tabs racing, a lost answer): both get a session', async (t) => {
    const u = await h.user();
    const results = await Promise.all(Array.from({ length: 3 }, () => post('/v1/auth/refresh', { refreshToken: u.refreshToken })));
    t.same(
      results.map((r) => r.statusCode),
      [200, 200, 200],
    );
    const successors = results.map((r) => r.json().refreshToken as string);
    t.equal(new Set(successors).size, 3, 'each gets a token of its own');
    const families = await h.sql<{ n: number }>(
      'SELECT count(DISTINCT family_id)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
      [u.id],
    );
    t.equal(families[0]?.n, 1, 'all in the one family, none revoked');
    t.equal((await post('/v1/auth/refresh', { refreshToken: successors[2] })).statusCode, 200, 'and the sessions go on');
  });

  t.test('the same token again after the grace period is theft: the family is revoked', async (t) => {
    const u = await h.user();
    const next = (await post('/v1/auth/refresh', { refreshToken: u.refreshToken })).json().refreshToken as string;
    await h.sql("UPDATE refresh_tokens SET used_at = used_at - interval '11 seconds' WHERE user_id = $1 AND used_at IS NOT NULL", [u.id]);
    const replay = await post('/v1/auth/refresh', { refreshToken: u.refreshToken });
    t.equal(replay.json().error.code, 'TOKEN_REUSED');
    t.equal((await post('/v1/auth/refresh', { refreshToken: next })).json().error.code, 'TOKEN_REVOKED', 'the legitimate successor too');
  });

  t.test('logout revokes the refresh token and ends the access token at once', async (t) => {
    const u = await h.user();
    const me = () => h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: u.auth });
    t.equal((await me()).statusCode, 200);
    const out = await post('/v1/auth/logout', { refreshToken: u.refreshToken });
    t.equal(out.statusCode, 204);
    t.equal((await post('/v1/auth/refresh', { refreshToken: u.refreshToken })).json().error.code, 'TOKEN_REVOKED');
    const after = await me();
    t.equal(after.statusCode, 401, 'the access token of that login stops working, not 15 min later');
    t.equal(after.json().error.code, 'TOKEN_REVOKED');
    const again = await post('/v1/auth/login', { email: u.email, password: u.password });
    const fresh = await h.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${again.json().accessToken}` },
    });
    t.equal(fresh.statusCode, 200, 'a new login works');
  });

  t.test('refresh-token theft revokes the access tokens of that login too, not of other logins', async (t) => {
    const u = await h.user();
    const other = await post('/v1/auth/login', { email: u.email, password: u.password });
    const first = await post('/v1/auth/refresh', { refreshToken: u.refreshToken });
    await h.sql("UPDATE refresh_tokens SET used_at = now() - interval '1 hour' WHERE used_at IS NOT NULL");
    const theft = await post('/v1/auth/refresh', { refreshToken: u.refreshToken });
    t.equal(theft.json().error.code, 'TOKEN_REUSED');
    const stolenLogin = await h.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${first.json().accessToken}` },
    });
    t.equal(stolenLogin.json().error?.code, 'TOKEN_REVOKED', 'access token from the revoked family: 401');
    const otherLogin = await h.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${other.json().accessToken}` },
    });
    t.equal(otherLogin.statusCode, 200, 'another login of the same account is unaffected');
  });

  t.test("a stranger's failed logins lock strangers out, not the owner's known device", async (t) => {
    const u = await h.user();
    const known = await post('/v1/auth/login', { email: u.email, password: u.password });
    const deviceToken = known.json().deviceToken as string;
    t.type(deviceToken, 'string', 'a login hands out a device token');
    for (let i = 0; i < 5; i++) t.equal((await post('/v1/auth/login', { email: u.email, password: 'guess' })).statusCode, 401);
    const stranger = await post('/v1/auth/login', { email: u.email, password: u.password });
    t.equal(stranger.json().error?.code, 'LOGIN_LOCKED', 'without a device token: locked, even with the right password');
    const owner = await post('/v1/auth/login', { email: u.email, password: u.password, deviceToken });
    t.equal(owner.statusCode, 200, 'the owner on a known device logs in');
    t.equal(
      (await post('/v1/auth/login', { email: u.email, password: u.password })).json().error?.code,
      'LOGIN_LOCKED',
      "the owner's success does not unlock the account for strangers",
    );

    const [tag, nonce, expires, mac] = deviceToken.split('.') as [string, string, string, string];
    const flip = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A');
    const other = await h.user();
    const otherToken = (await post('/v1/auth/login', { email: other.email, password: other.password })).json().deviceToken as string;
    for (const [name, token] of [
      ['a forged signature', `${tag}.${nonce}.${expires}.${flip(mac)}`],
      ['a longer expiry', `${tag}.${nonce}.${Number(expires) + 86_400}.${mac}`],
      ["another account's token", otherToken],
      ['garbage', 'a'.repeat(40)],
    ] as const) {
      const res = await post('/v1/auth/login', { email: u.email, password: u.password, deviceToken: token });
      t.equal(res.json().error?.code, 'LOGIN_LOCKED', `${name}: ignored, still locked`);
    }
  });

  t.test('failures made with a device token lock out that token alone', async (t) => {
    const u = await h.user();
    const deviceToken = (await post('/v1/auth/login', { email: u.email, password: u.password })).json().deviceToken as string;
    for (let i = 0; i < 5; i++) await post('/v1/auth/login', { email: u.email, password: 'guess', deviceToken });
    const stolen = await post('/v1/auth/login', { email: u.email, password: u.password, deviceToken });
    t.equal(stolen.json().error?.code, 'LOGIN_LOCKED', 'the token that guessed is locked');
    const elsewhere = await post('/v1/auth/login', { email: u.email, password: u.password });
    t.equal(elsewhere.statusCode, 200, 'the account itself is not locked by them');
  });

  t.test('access tokens: forged, alg:none, expired, wrong audience and garbage are all 401', async (t) => {
    const u = await h.user();
    const me = (authorization: string) => h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization } });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: u.id, role: 'admin', iss: 'dhakacart', aud: 'dhakacart-api', iat: now, exp: now + 600 };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const forgedBody = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const forged = `${forgedBody}.${createHmac('sha256', 'not-the-secret-not-the-secret-000').update(forgedBody).digest('base64url')}`;
    const expired = h.app.jwt.sign({ sub: u.id, role: 'customer' }, { expiresIn: -10 } as never);
    const wrongAud = h.app.jwt.sign({ sub: u.id, role: 'customer' }, { aud: 'someone-else' } as never);
    t.equal((await me(`Bearer ${none}`)).json().error.code, 'TOKEN_INVALID', 'alg none');
    t.equal((await me(`Bearer ${forged}`)).json().error.code, 'TOKEN_INVALID', 'wrong key');
    t.equal((await me(`Bearer ${expired}`)).json().error.code, 'TOKEN_EXPIRED', 'expired');
    t.equal((await me(`Bearer ${wrongAud}`)).json().error.code, 'TOKEN_INVALID', 'wrong audience');
    t.equal((await me('Bearer ')).statusCode, 401);
    t.equal((await me('Basic dXNlcjpwYXNz')).json().error.code, 'TOKEN_INVALID');
    t.equal((await me(u.auth.authorization)).statusCode, 200, 'the real token works');
  });

  t.test('lockout after repeated failures looks the same for real and unknown emails', async (t) => {
    const u = await h.user();
    const attempt = (email: string, password: string) => post('/v1/auth/login', { email, password });
    const unknown = 'nobody-here@example.com';
    const realBodies: string[] = [];
    const unknownBodies: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await attempt(u.email, 'wrong password');
      const b = await attempt(unknown, 'wrong password');
      t.equal(a.statusCode, 401);
      t.equal(b.statusCode, 401);
      realBodies.push(a.json().error.code + a.json().error.message);
      unknownBodies.push(b.json().error.code + b.json().error.message);
    }
    t.same(realBodies, unknownBodies, 'identical failures');
    const lockedReal = await attempt(u.email, u.password);
    const lockedUnknown = await attempt(unknown, 'whatever');
    t.equal(lockedReal.statusCode, 429, 'locked even with the right password');
    t.equal(lockedReal.json().error.code, 'LOGIN_LOCKED');
    t.equal(lockedUnknown.statusCode, 429, 'an unknown email locks the same way');
    t.equal(lockedUnknown.json().error.message, lockedReal.json().error.message);
    t.ok(Number(lockedReal.headers['retry-after']) > 0, 'Retry-After set');
    // Unlock by time passing:
    await h.sql("UPDATE login_throttle SET locked_until = now() - interval '1 second'");
    t.equal((await attempt(u.email, u.password)).statusCode, 200, 'login works again after the lockout');
  });

  t.test('login is rate limited per IP', async (t) => {
    const limited = await harness(t, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await limited.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: `x${i}@example.com`, password: 'nope' },
        remoteAddress: '10.1.2.3',
      });
      codes.push(res.statusCode);
    }
    t.same(codes, [401, 401, 401, 429, 429]);
    const other = await limited.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'y@example.com', password: 'nope' },
      remoteAddress: '10.9.9.9',
    });
    t.equal(other.statusCode, 401, 'another IP is not affected');
  });
});
