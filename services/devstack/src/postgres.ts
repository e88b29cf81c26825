import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childPids, freePort, type RunAs, spawnServer, stopChild, waitFor } from './processes.js';

export interface PostgresServer {
  /** Superuser URL of the maintenance database (`postgres`). */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  readonly binDir: string;
  urlFor(database: string): string;
  /** Fast shutdown then start again on the same port and data: what a failover looks like to clients. */
  restart(): Promise<void>;
  /** SIGKILL the postmaster: a crash, not a clean stop. */
  crash(): Promise<void>;
  /** A standby becomes a primary (pg_ctl promote) and accepts writes once this resolves. */
  promote(): Promise<void>;
  /** The postmaster's process id (0 when stopped). */
  pid(): number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stop, and delete the data unless it was given by the caller or asked to be kept. */
  dispose(): Promise<void>;
}

export interface PostgresOptions {
  dataDir?: string;
  port?: number;
  /** Durable settings for `make up` and benchmarks; tests trade durability for speed. */
  durable?: boolean;
  /** Keep the data directory after stop (make up). */
  keepData?: boolean;
  /** More `-c` settings (replication, synchronous standbys...). */
  settings?: string[];
  /** Start as a streaming standby of this primary (pg_basebackup), known to it by `applicationName`. */
  standbyOf?: { port: number; applicationName: string };
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: run `make setup`');
  return join(root, newest, 'bin');
}

function runAsForPostgres(): RunAs | undefined {
  return process.getuid?.() === 0 ? { user: 'postgres', group: 'postgres' } : undefined;
}

function ownForRunAs(path: string, runAs: RunAs | undefined) {
  if (!runAs) return;
  const uid = Number(execFileSync('id', ['-u', runAs.user]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', runAs.user]).toString().trim());
  chownSync(path, uid, gid);
}

async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  const runAs = runAsForPostgres();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dhakacart-pg-'));
  const port = options.port ?? (await freePort());
  mkdirSync(dataDir, { recursive: true });
  ownForRunAs(dataDir, runAs);
  const pgData = join(dataDir, 'pgdata');
  const socketDir = join(dataDir, 'sock');

  const wrapper = runAs ? ['setpriv', '--reuid', runAs.user, '--regid', runAs.group, '--init-groups'] : [];
  const asPostgres = (command: string, args: string[]) => {
    const [cmd, ...rest] = [...wrapper, join(binDir, command), ...args];
    execFileSync(cmd as string, rest, { stdio: 'pipe' });
  };
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    mkdirSync(socketDir, { recursive: true });
    ownForRunAs(socketDir, runAs);
    if (options.standbyOf) {
      // A copy of the primary that streams its WAL: -R writes standby.signal and primary_conninfo.
      const { port: primaryPort, applicationName } = options.standbyOf;
      asPostgres('pg_basebackup', [
        '-D',
        pgData,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
        '-d',
        `host=127.0.0.1 port=${primaryPort} user=postgres application_name=${applicationName}`,
      ]);
    } else {
      asPostgres('initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
      // Loopback only; trust is acceptable because nothing but this machine can connect.
      writeFileSync(
        join(pgData, 'pg_hba.conf'),
        'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nhost replication all 127.0.0.1/32 trust\n',
      );
      ownForRunAs(join(pgData, 'pg_hba.conf'), runAs);
    }
  }

  const settings = [
    `listen_addresses=127.0.0.1`,
    `unix_socket_directories=${socketDir}`,
    `max_connections=300`,
    `shared_buffers=128MB`,
    `log_min_messages=warning`,
    `log_min_error_statement=panic`,
    `shared_preload_libraries=pg_stat_statements`,
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    ...(options.settings ?? []),
  ];
  let child: ChildProcess | undefined;

  const server: PostgresServer = {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    binDir,
    urlFor: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      child = spawnServer(join(binDir, 'postgres'), ['-D', pgData, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
        runAs,
        logPrefix: '[postgres]',
      });
      const started = child;
      await waitFor('PostgreSQL', async () => (await acceptsConnections(port)) && pgIsReady(binDir, port, socketDir), 30_000, started);
    },
    async stop() {
      if (child) await stopChild(child, 'SIGINT', 30_000); // SIGINT = fast shutdown
      child = undefined;
    },
    async dispose() {
      await server.stop();
      if (!options.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      if (child) await stopChild(child, 'SIGINT', 30_000);
      await server.start();
    },
    pid: () => child?.pid ?? 0,
    async promote() {
      asPostgres('pg_ctl', ['promote', '-D', pgData, '-w', '-t', '30']);
    },
    async crash() {
      // The whole server dies at once, as with a pod or node: the postmaster and every backend.
      // Killing the postmaster alone leaves backends serving their open connections until they
      // notice, which made "the database is gone" depend on how busy the machine was.
      if (child?.pid) {
        for (const pid of childPids(child.pid)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      if (child) await stopChild(child, 'SIGKILL');
      // A SIGKILLed postmaster leaves children that hold shared memory; wait for them to go.
      await waitFor('PostgreSQL backends to exit', async () => !(await acceptsConnections(port)), 10_000);
    },
  };
  await server.start();
  return server;
}

function pgIsReady(binDir: string, port: number, socketDir: string): boolean {
  try {
    execFileSync(join(binDir, 'pg_isready'), ['-h', socketDir, '-p', String(port), '-q'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
