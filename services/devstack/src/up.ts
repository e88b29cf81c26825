/**
 * `make up`: the whole shop on this machine, as local processes, until Ctrl-C.
 * PostgreSQL keeps its data in .data/postgres (git-ignored); Redis is a cache
 * and starts empty; secrets are generated once into .data/ (mode 0600).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startPostgres } from './postgres.js';
import { portInUse, stopChild, waitFor } from './processes.js';
import { startRedis } from './redis.js';

const root = join(import.meta.dirname, '..', '..', '..');
const data = join(root, '.data');
const api = join(root, 'services', 'api');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function secret(name: string, make: () => string): string {
  const file = join(data, name);
  if (!existsSync(file)) {
    writeFileSync(file, make(), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

function run(command: string, args: string[], extraEnv: Record<string, string>, label: string): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${label}] ${line}`));
  }
  return child;
}

async function runToEnd(command: string, args: string[], extraEnv: Record<string, string>, label: string) {
  const child = run(command, args, extraEnv, label);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${label} failed with exit code ${code}`);
}

async function main() {
  mkdirSync(data, { recursive: true });
  const pgPort = env('PG_PORT', 55432);
  const redisPort = env('REDIS_PORT', 56379);
  const apiPort = env('API_PORT', 3000);
  const prometheusPort = env('PROMETHEUS_PORT', 9090);
  const webPort = env('WEB_PORT', 8080);

  // A port already taken (Debian's own prometheus or redis-server service, another `make up`)
  // would fail later with a cryptic message: name it, and say how to move ours.
  const ports: [string, number, string][] = [
    ['PostgreSQL', pgPort, 'PG_PORT'],
    ['Redis', redisPort, 'REDIS_PORT'],
    ['API', apiPort, 'API_PORT'],
    ['storefront', webPort, 'WEB_PORT'],
    ...(existsSync('/usr/bin/prometheus') ? [['Prometheus', prometheusPort, 'PROMETHEUS_PORT'] as [string, number, string]] : []),
  ];
  const taken: string[] = [];
  for (const [name, port, variable] of ports) {
    if (await portInUse(port)) taken.push(`  ${name}: 127.0.0.1:${port} is already in use (set ${variable}=<port> to move ours)`);
  }
  if (taken.length > 0) {
    console.error(
      `make up cannot start:\n${taken.join('\n')}\n` +
        'Is a system service using it? `ss -ltnp` shows who; Debian starts prometheus and redis-server when they are ' +
        'installed (`systemctl disable --now prometheus redis-server` stops them), or another `make up` is still running.',
    );
    process.exit(1);
  }

  console.log('starting PostgreSQL (data in .data/postgres) and Redis ...');
  const postgres = await startPostgres({ dataDir: join(data, 'postgres'), port: pgPort, durable: true, keepData: true });
  const redis = await startRedis({ port: redisPort });
  const databaseUrl = postgres.urlFor('postgres');
  const children: ChildProcess[] = [];

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping ...');
    await Promise.allSettled(children.map((c) => stopChild(c, 'SIGTERM', 30_000)));
    await Promise.allSettled([redis.dispose(), postgres.stop()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  try {
    const tsx = ['--import', 'tsx'];
    await runToEnd(process.execPath, [...tsx, join(api, 'src', 'db', 'migrate-cli.ts')], { DATABASE_URL: databaseUrl }, 'migrate');
    secret('admin-password', () => randomBytes(12).toString('base64url'));
    await runToEnd(
      process.execPath,
      [...tsx, join(api, 'src', 'seed', 'cli.ts')],
      { DATABASE_URL: databaseUrl, SEED_ADMIN_EMAIL: 'admin@dhakacart.local', SEED_ADMIN_PASSWORD_FILE: join(data, 'admin-password') },
      'seed',
    );
    secret('jwt-secret', () => randomBytes(48).toString('base64url'));
    const apiProcess = run(
      process.execPath,
      [...tsx, join(api, 'src', 'server.ts')],
      {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        JWT_SECRET_FILE: join(data, 'jwt-secret'),
        CORS_ORIGINS: process.env.CORS_ORIGINS ?? 'http://localhost:5173,http://127.0.0.1:5173',
        SHUTDOWN_DELAY_MS: '0',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      'api',
    );
    children.push(apiProcess);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor('API', async () => (await fetch(`${apiUrl}/readyz`)).ok, 60_000, apiProcess);
    apiProcess.on('exit', (code) => {
      if (!stopping) {
        console.error(`API exited unexpectedly (code ${code})`);
        void stop(1);
      }
    });

    // The storefront: built from web/ (a second or two), served with /v1 proxied to the API on one origin.
    const web = join(root, 'web');
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    await runToEnd(process.execPath, [vite, 'build', web, '--logLevel', 'warn'], { NODE_ENV: 'production' }, 'web-build').catch((error) => {
      throw new Error(`${(error as Error).message} (run \`npm run build --workspace @dhakacart/web\` to see why)`);
    });
    const webProcess = run(
      process.execPath,
      [...tsx, join(web, 'server', 'serve.ts')],
      { HOST: '127.0.0.1', PORT: String(webPort), API_URL: apiUrl },
      'web',
    );
    children.push(webProcess);
    const webUrl = `http://127.0.0.1:${webPort}`;
    await waitFor('storefront', async () => (await fetch(webUrl)).ok, 30_000, webProcess);

    let prometheusUrl = 'not started (prometheus not installed)';
    if (existsSync('/usr/bin/prometheus')) {
      const dir = join(data, 'prometheus');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 5s }\nscrape_configs:\n  - job_name: dhakacart-api\n    static_configs: [{ targets: ['127.0.0.1:${apiPort}'] }]\n`,
      );
      const port = prometheusPort;
      const prometheus = run(
        '/usr/bin/prometheus',
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        {},
        'prometheus',
      );
      children.push(prometheus);
      prometheusUrl = `http://127.0.0.1:${port}`;
    }

    console.log(`
DhakaCart is running (Ctrl-C stops everything):
  API          ${apiUrl}/v1/products   (OpenAPI UI: ${apiUrl}/docs/)
  metrics      ${apiUrl}/metrics        Prometheus: ${prometheusUrl}
  PostgreSQL   ${databaseUrl}
  Redis        ${redis.url}
  admin login  admin@dhakacart.local / password in .data/admin-password
  storefront   ${webUrl}
`);
  } catch (error) {
    console.error((error as Error).message);
    await stop(1);
  }
}

await main();
