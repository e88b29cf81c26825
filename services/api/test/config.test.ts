import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig, trustProxy } from '../src/config.js';

const base = { DATABASE_URL: 'postgresql://u@db/app', JWT_SECRET: 'x'.repeat(32) };

t.test('defaults fill everything not given', async (t) => {
  const config = loadConfig(base);
  t.equal(config.PORT, 3000);
  t.equal(config.NODE_ENV, 'production');
  t.equal(config.REDIS_URL, undefined, 'Redis is optional');
});

t.test('strings from the environment are converted to the declared types', async (t) => {
  const config = loadConfig({ ...base, PORT: '8080', TRUST_PROXY: 'true', DATABASE_POOL_MAX: '25' });
  t.equal(config.PORT, 8080);
  t.equal(trustProxy(config), true);
  t.equal(config.DATABASE_POOL_MAX, 25);
});

t.test("TRUST_PROXY: off, all, a hop count, or the proxies' addresses; anything else refused", async (t) => {
  t.equal(trustProxy(loadConfig(base)), false, 'off by default');
  const oneHop = trustProxy(loadConfig({ ...base, TRUST_PROXY: '1' })) as (address: string, hop: number) => boolean;
  t.ok(oneHop('10.42.1.7', 0) && !oneHop('203.0.113.9', 1), 'one hop: the ingress in front of the pod, no further');
  t.same(trustProxy(loadConfig({ ...base, TRUST_PROXY: '10.42.0.0/16, 127.0.0.1' })), ['10.42.0.0/16', '127.0.0.1']);
  t.throws(() => loadConfig({ ...base, TRUST_PROXY: 'yes' }), /TRUST_PROXY/);
});

t.test('a bad value is named with the rule it broke, and the value itself is not echoed', async (t) => {
  const error = t.throws(() => loadConfig({ ...base, PORT: 'eighty', JWT_SECRET: 'hunter2-too-short' })) as Error;
  t.type(error, ConfigError);
  t.match(error.message, /PORT: must be integer/);
  t.match(error.message, /JWT_SECRET: must not have fewer than 32 characters/);
  t.notMatch(error.message, /hunter2/, 'secret value never appears in the message');
});

t.test('a missing required variable says which one', async (t) => {
  const error = t.throws(() => loadConfig({ JWT_SECRET: 'x'.repeat(32) })) as Error;
  t.match(error.message, /DATABASE_URL: required/);
});

t.test('secrets can come from files (*_FILE), not both ways at once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, 'jwt'), `${'s'.repeat(40)}\n`);
  writeFileSync(join(dir, 'db'), 'postgresql://app:pw@db-rw:5432/app\n');
  const config = loadConfig({ JWT_SECRET_FILE: join(dir, 'jwt'), DATABASE_URL_FILE: join(dir, 'db') });
  t.equal(config.JWT_SECRET, 's'.repeat(40), 'trailing newline trimmed');
  t.equal(config.DATABASE_URL, 'postgresql://app:pw@db-rw:5432/app');
  t.throws(() => loadConfig({ ...base, JWT_SECRET_FILE: join(dir, 'jwt') }), /either JWT_SECRET or JWT_SECRET_FILE/);
  t.throws(
    () => loadConfig({ ...base, JWT_SECRET: undefined, JWT_SECRET_FILE: join(dir, 'missing') }),
    /JWT_SECRET_FILE: cannot read .*ENOENT/,
  );
});

t.test('enumerations are enforced', async (t) => {
  t.throws(() => loadConfig({ ...base, LOG_LEVEL: 'verbose' }), /LOG_LEVEL/);
  t.throws(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
});
