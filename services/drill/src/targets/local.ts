/**
 * The `local` target: a rehearsal of the cluster made of real processes on one
 * machine. Each part stands in for its cluster counterpart, and the drill
 * report says so:
 *   - HAProxy with /readyz health checks and retries on connection failures
 *     stands in for the Service + Traefik ingress (with its Retry middleware);
 *   - three API processes (the compiled server, as in the image) for the pods;
 *   - PostgreSQL primary + a synchronous standby, with a promotion step that
 *     notices the primary is gone, promotes the standby and points the
 *     read-write endpoint at it, for CloudNativePG and its -rw Service;
 *   - Redis as the cache and rate-limit store.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  freePort,
  type PostgresServer,
  type RedisServer,
  spawnServer,
  startPostgres,
  startRedis,
  stopChild,
  waitFor,
} from '@dhakacart/devstack';
import pg from 'pg';
import type { Target } from './target.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const apiDist = join(root, 'services', 'api', 'dist');

interface ApiProcess {
  name: string;
  port: number;
  child: ChildProcess | undefined;
}

/** A command to HAProxy's runtime API (the stats socket). */
function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = connect(socket, () => client.end(`${command}\n`));
    let answer = '';
    client.on('data', (d) => {
      answer += d;
    });
    client.on('end', () => resolve(answer));
    client.on('error', reject);
  });
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}):\n${output.slice(-2000)}`);
}

/** The local target, plus what the capacity bench measures: the API processes and the primary. */
export interface LocalTarget extends Target {
  apiProcesses(): { pid: number; url: string }[];
  /** The PostgreSQL primary's postmaster (its backends are its children). */
  primaryPid(): number;
}

export async function startLocalTarget(options: { workDir: string; apis?: number }): Promise<LocalTarget> {
  const dir = options.workDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const jwtSecret = randomBytes(48).toString('base64url');

  // Synchronous replication to the standby named "standby": a commit is acknowledged only once
  // the standby has it on disk (CNPG: method any, number 1, dataDurability required).
  const primary = await startPostgres({
    dataDir: join(dir, 'pg-primary'),
    durable: true,
    settings: ['wal_level=replica', 'max_wal_senders=5', 'synchronous_standby_names=standby', 'wal_keep_size=512MB'],
  });
  const standby = await startPostgres({
    dataDir: join(dir, 'pg-standby'),
    durable: true,
    standbyOf: { port: primary.port, applicationName: 'standby' },
  });
  const redis = await startRedis();

  const [shopPort, rwPort] = [await freePort(), await freePort()];
  const apis: ApiProcess[] = [];
  for (let i = 1; i <= (options.apis ?? 3); i++) apis.push({ name: `api${i}`, port: await freePort(), child: undefined });

  const socket = join(dir, 'haproxy.sock');
  const config = `global
  maxconn 8000
  stats socket ${socket} mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 30s
  timeout http-keep-alive 10s
  # The ingress's retries: a request whose connection failed, or that got no answer at all from
  # a pod that died under it, goes to another pod (HAProxy never resends a non-idempotent request).
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
frontend shop
  bind 127.0.0.1:${shopPort}
  option forwardfor
  default_backend api
backend api
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
${apis.map((a) => `  server ${a.name} 127.0.0.1:${a.port} check`).join('\n')}
listen postgres-rw
  mode tcp
  bind 127.0.0.1:${rwPort}
  timeout client 1h
  timeout server 1h
  server primary 127.0.0.1:${primary.port} check inter 1s
  server standby 127.0.0.1:${standby.port} check inter 1s disabled
`;
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, config);
  const haproxy = spawnServer('/usr/sbin/haproxy', ['-db', '-f', configFile], { logPrefix: '[haproxy]' });
  await waitFor('HAProxy', async () => (await haproxyCommand(socket, 'show info')).includes('Name: HAProxy'), 10_000, haproxy);

  const databaseUrl = `postgresql://postgres@127.0.0.1:${rwPort}/postgres`;
  const env = { PATH: process.env.PATH, DATABASE_URL: databaseUrl };
  await run(process.execPath, [join(apiDist, 'db', 'migrate-cli.js')], env);
  await run(process.execPath, [join(apiDist, 'seed', 'cli.js')], env);

  const startApi = async (api: ApiProcess) => {
    api.child = spawnServer(process.execPath, [join(apiDist, 'server.js')], {
      logPrefix: `[${api.name}]`,
      cwd: join(root, 'services', 'api'),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(api.port),
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_MAX: '20',
        REDIS_URL: redis.url,
        JWT_SECRET: jwtSecret,
        ACCESS_TOKEN_TTL_SECONDS: '3600',
        // Shoppers arrive with their own X-Forwarded-For, and HAProxy appends the address it saw:
        // believe two hops (HAProxy, then the shopper's own entry) so each shopper is one address.
        TRUST_PROXY: '2',
        // Longer than HAProxy needs to see /readyz fail twice (2 x 500 ms), as the pod's preStop is.
        SHUTDOWN_DELAY_MS: '1500',
        PAYMENT_TIMEOUT_MS: '2000',
        MAX_EVENT_LOOP_DELAY_MS: '0',
        DOCS_ENABLED: 'false',
      },
    });
    const child = api.child;
    await waitFor(api.name, async () => (await fetch(`http://127.0.0.1:${api.port}/readyz`)).ok, 30_000, child);
  };
  await Promise.all(apis.map(startApi));
  const baseUrl = `http://127.0.0.1:${shopPort}`;
  // Wait until HAProxy has seen every API healthy (rise 2 x 500 ms).
  await waitFor(
    'HAProxy to route to every API',
    async () => {
      const stat = await haproxyCommand(socket, 'show stat');
      return apis.every((a) => new RegExp(`^api,${a.name},.*,UP,`, 'm').test(stat));
    },
    15_000,
  );

  let current: PostgresServer = primary;
  let promotedAt: number | null = null;

  const target: LocalTarget = {
    name: 'local',
    baseUrl,
    apiProcesses: () => apis.map((a) => ({ pid: a.child?.pid ?? 0, url: `http://127.0.0.1:${a.port}` })),
    primaryPid: () => primary.pid(),
    jwtSecret,
    accessTokenTtlSeconds: 3600,
    async sql(text, values) {
      const client = new pg.Client({ connectionString: current.adminUrl });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    faults: {
      async killApiPod() {
        const api = apis[0] as ApiProcess;
        if (api.child) await stopChild(api.child, 'SIGKILL');
        // What the ReplicaSet does: a replacement starts (here after 5 s, as a pod would take).
        setTimeout(() => void startApi(api).catch(() => {}), 5_000);
        return `SIGKILL ${api.name} (replacement started 5 s later)`;
      },
      async rollingRestart() {
        for (const api of apis) {
          if (api.child) await stopChild(api.child, 'SIGTERM', 30_000);
          await startApi(api);
          await new Promise((r) => setTimeout(r, 1_500)); // rise 2 x 500 ms before the next one goes
        }
        return `SIGTERM and restart of ${apis.length} API processes, one at a time`;
      },
      async redisDown(seconds: number) {
        await redis.stop();
        await new Promise((r) => setTimeout(r, seconds * 1000));
        await redis.start();
        return `Redis stopped for ${seconds} s`;
      },
      async killDatabasePrimary() {
        const killedAt = Date.now();
        await primary.crash();
        // The stand-in for the operator: after two failed 1 s health probes, promote the standby
        // and move the read-write endpoint to it (CNPG updates the -rw Service's selector).
        let failures = 0;
        while (failures < 2) {
          await new Promise((r) => setTimeout(r, 1_000));
          try {
            execFileSync(join(primary.binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(primary.port), '-t', '1'], {
              stdio: 'ignore',
            });
            failures = 0;
          } catch {
            failures++;
          }
        }
        await standby.promote();
        await haproxyCommand(socket, 'set server postgres-rw/primary state maint');
        await haproxyCommand(socket, 'shutdown sessions server postgres-rw/primary');
        await haproxyCommand(socket, 'set server postgres-rw/standby state ready');
        current = standby;
        promotedAt = Date.now();
        return `SIGKILL of the PostgreSQL primary; standby promoted and the read-write endpoint moved after ${((promotedAt - killedAt) / 1000).toFixed(1)} s`;
      },
    },
    async dispose() {
      await Promise.allSettled(apis.map((a) => (a.child ? stopChild(a.child, 'SIGTERM', 10_000) : undefined)));
      await stopChild(haproxy, 'SIGTERM');
      await Promise.allSettled([redis.dispose(), primary.dispose(), standby.dispose()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return target;
}

export type { PostgresServer, RedisServer };
