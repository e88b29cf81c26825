import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import t from 'tap';
import { startPostgres, startRedis } from '../src/index.js';

t.test('PostgreSQL starts on a free loopback port, survives a restart and leaves nothing behind', async (t) => {
  const pg = await startPostgres();
  const psql = (sql: string) => execFileSync('psql', [pg.adminUrl, '-Atc', sql]).toString().trim();
  t.equal(psql('select 1+1'), '2');
  psql('create table survives (x int); insert into survives values (7)');
  await pg.restart();
  t.equal(psql('select x from survives'), '7', 'data kept across a restart');
  await pg.crash();
  t.throws(() => execFileSync('psql', [pg.adminUrl, '-Atc', 'select 1'], { stdio: 'pipe' }), 'connections refused while crashed');
  await pg.start();
  t.equal(psql('select x from survives'), '7', 'crash recovery keeps committed data');
  await pg.dispose();
  t.notOk(existsSync(pg.dataDir), 'throwaway data directory removed');
});

t.test('Redis starts, can be taken down and brought back on the same port', async (t) => {
  const redis = await startRedis();
  const cli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(redis.port), ...args])
      .toString()
      .trim();
  t.equal(cli('ping'), 'PONG');
  await redis.stop();
  const whileDown = spawnSync('redis-cli', ['-p', String(redis.port), 'ping']);
  t.not(whileDown.stdout.toString().trim(), 'PONG', 'no PONG while stopped');
  await redis.start();
  t.equal(cli('ping'), 'PONG');
  await redis.dispose();
});
