import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { readMigrations } from '../db/migrator.js';
import { type OrdersSnapshot, RestoreCheckError, snapshotOrders, verifyRestoredDatabase } from './restore-test.js';

/**
 * `make db-restore TIME=...` (docs/runbooks/backup-restore.md): the database as
 * it was at TIME, in a second CloudNativePG Cluster beside production, checked,
 * while production keeps serving. It switches the data chart's recovery mode
 * on in the installed release (postgres.pitr: bootstrap.recovery from
 * production's backups to TIME, archiving under a serverName of its own), waits
 * for the Cluster to be healthy, then checks the copy through a port-forward:
 * the restore test's database checks, no order after TIME, and no order up to
 * TIME that production still holds is missing. It never touches production or
 * the app: the switch-over is a separate, printed step.
 */
export interface DbRestoreOptions {
  namespace: string;
  release: string;
  chart: string;
  /** RFC 3339 with an offset, or "latest" (the end of the archive). */
  time: string;
  helm: string;
  kubectl: string;
  readyTimeoutMs: number;
  pollMs: number;
}

export type Run = (cmd: string, args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export const execRun: Run = async (cmd, args) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
};

const TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$/;

export class DbRestoreError extends Error {
  override name = 'DbRestoreError';
}

/** The target as the chart takes it ("" = the end of the archive); refuses a time without an offset. */
export function targetTime(time: string): string {
  if (time === 'latest') return '';
  if (!TIME.test(time)) {
    throw new DbRestoreError(`TIME ${JSON.stringify(time)}: give a time with its offset, e.g. 2026-12-06T10:15:00+06:00, or "latest"`);
  }
  return time.replace(' ', 'T');
}

interface DataValues {
  postgres: {
    clusterName: string;
    database: string;
    backup: { enabled: boolean; serverName?: string };
    pitr?: { enabled: boolean; clusterName: string };
  };
}

/** The helm upgrade that switches the copy on, keeping every value the release was installed with. */
export function enableArgs(o: DbRestoreOptions): string[] {
  return [
    'upgrade',
    o.release,
    o.chart,
    '-n',
    o.namespace,
    '--reset-then-reuse-values',
    '--set',
    'postgres.pitr.enabled=true',
    '--set-string',
    `postgres.pitr.targetTime=${targetTime(o.time)}`,
  ];
}

async function must(run: Run, cmd: string, args: string[], what: string) {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new DbRestoreError(`${what}: ${cmd} ${args.slice(0, 3).join(' ')} failed: ${r.stderr.trim().slice(-800)}`);
  return r.stdout;
}

export async function releaseValues(o: DbRestoreOptions, run: Run): Promise<DataValues> {
  return JSON.parse(
    await must(run, o.helm, ['get', 'values', o.release, '-n', o.namespace, '--all', '-o', 'json'], `read release ${o.release}`),
  );
}

interface ClusterStatus {
  spec?: { instances?: number };
  status?: { phase?: string; readyInstances?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the Cluster reports every instance ready; logs its phases on the way. */
export async function waitHealthy(o: DbRestoreOptions, run: Run, name: string, log: (msg: string) => void) {
  const started = Date.now();
  let last = '';
  for (;;) {
    const r = await run(o.kubectl, ['get', 'cluster', name, '-n', o.namespace, '-o', 'json']);
    const c: ClusterStatus = r.code === 0 ? JSON.parse(r.stdout) : {};
    const phase = c.status?.phase ?? 'not created yet';
    if (phase !== last) log(`${name}: ${phase} (${Math.round((Date.now() - started) / 1000)} s)`);
    last = phase;
    if (phase === 'Cluster in healthy state' && (c.status?.readyInstances ?? 0) >= (c.spec?.instances ?? 1)) {
      return Date.now() - started;
    }
    if (Date.now() - started > o.readyTimeoutMs) {
      throw new DbRestoreError(
        `${name} not healthy after ${o.readyTimeoutMs / 1000} s (phase: ${phase}); see kubectl -n ${o.namespace} logs -l cnpg.io/cluster=${name}`,
      );
    }
    await sleep(o.pollMs);
  }
}

/** kubectl port-forward to a Cluster's read-write Service; resolves to the local port. */
export async function portForward(o: DbRestoreOptions, cluster: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(o.kubectl, ['port-forward', '-n', o.namespace, `svc/${cluster}-rw`, ':5432', '--address', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DbRestoreError(`port-forward to ${cluster}-rw did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => reject(new DbRestoreError(`port-forward to ${cluster}-rw exited: ${out}`)));
  });
  return { port, child };
}

/** The app user's URL for a Cluster through a local port (the password never leaves this process). */
export async function appUrl(o: DbRestoreOptions, run: Run, cluster: string, database: string, port: number) {
  const secret = JSON.parse(
    await must(run, o.kubectl, ['get', 'secret', `${cluster}-app`, '-n', o.namespace, '-o', 'json'], `read ${cluster}-app`),
  );
  const decode = (k: string) => Buffer.from(secret.data?.[k] ?? '', 'base64').toString('utf8');
  const url = new URL(`postgresql://127.0.0.1:${port}/${database}`);
  url.username = decode('username');
  url.password = decode('password');
  return url.toString();
}

export interface DbRestoreResult {
  cluster: string;
  restoreSeconds: number;
  newestOrderAt: string | null;
  restored?: OrdersSnapshot;
  production?: OrdersSnapshot;
}

/**
 * Compares the copy with production at the target: the copy may hold more
 * (the incident removed rows from production) but never fewer orders up to
 * the target than production still holds.
 */
export function compareWithProduction(restored: OrdersSnapshot, production: OrdersSnapshot): string {
  if (restored.count < production.count) {
    throw new RestoreCheckError(
      `the copy misses orders: up to ${production.upTo} production holds ${production.count}, the copy ${restored.count}`,
    );
  }
  return restored.count === production.count && restored.totalPoisha === production.totalPoisha
    ? `orders up to the target match production: ${restored.count}, ${restored.totalPoisha} poisha`
    : `the copy holds ${restored.count - production.count} orders up to the target that production no longer has (the incident?)`;
}

export async function dbRestore(o: DbRestoreOptions, run: Run, log: (msg: string) => void): Promise<DbRestoreResult> {
  const target = targetTime(o.time);
  const values = await releaseValues(o, run);
  const pg = values.postgres;
  if (!pg.backup.enabled)
    throw new DbRestoreError(`release ${o.release} has no backups (postgres.backup.enabled is false): nothing to restore from`);
  const copy = pg.pitr?.clusterName ?? `${pg.clusterName}-pitr`;
  if (pg.pitr?.enabled) throw new DbRestoreError(`a point-in-time copy (${copy}) is already switched on: make db-restore-clean first`);
  if ((await run(o.kubectl, ['get', 'cluster', copy, '-n', o.namespace])).code === 0) {
    throw new DbRestoreError(`Cluster ${copy} already exists (kept from an earlier copy?): make db-restore-clean first`);
  }
  log(
    `restoring ${pg.backup.serverName || pg.clusterName} to ${target || 'the end of the archive'} into Cluster ${copy}, beside ${pg.clusterName}`,
  );
  await must(run, o.helm, enableArgs(o), 'switch the copy on');
  const restoreMs = await waitHealthy(o, run, copy, log);
  log(`${copy} healthy after ${Math.round(restoreMs / 1000)} s; checking it`);

  const forwards: ChildProcess[] = [];
  try {
    const fwd = await portForward(o, copy);
    forwards.push(fwd.child);
    const url = await appUrl(o, run, copy, pg.database, fwd.port);
    const report = await verifyRestoredDatabase(url, readMigrations(), target ? { newestOrderAtMost: target } : {});
    log(
      `the restore test's checks pass: ${report.migrations} migrations, ${report.rows.orders ?? 0} orders, newest ${report.newestOrderAt ?? 'none'}`,
    );
    const result: DbRestoreResult = { cluster: copy, restoreSeconds: Math.round(restoreMs / 1000), newestOrderAt: report.newestOrderAt };
    const upTo = target || new Date().toISOString();
    result.restored = await snapshotOrders(url, upTo);
    const prod = await portForward(o, pg.clusterName);
    forwards.push(prod.child);
    result.production = await snapshotOrders(await appUrl(o, run, pg.clusterName, pg.database, prod.port), upTo);
    if (target) log(compareWithProduction(result.restored, result.production));
    else log(`the copy holds ${result.restored.count} orders, production ${result.production.count} (production kept taking orders)`);
    return result;
  } finally {
    for (const c of forwards) {
      c.kill();
      if (c.exitCode === null) await once(c, 'exit').catch(() => {});
    }
  }
}

/** What to run next, printed after a successful restore. */
export function nextSteps(o: DbRestoreOptions, production: string, copy: string, appRelease = 'dhakacart') {
  const n = `-n ${o.namespace}`;
  return [
    `Switch the shop to the copy (production ${production} keeps its data, untouched):`,
    `  helm upgrade ${appRelease} charts/dhakacart ${n} --reset-then-reuse-values --set database.clusterName=${copy} --wait`,
    'Switch back:',
    `  helm upgrade ${appRelease} charts/dhakacart ${n} --reset-then-reuse-values --set database.clusterName=${production} --wait`,
    'Copy rows back instead of switching (a dropped table, a bad UPDATE): docs/runbooks/backup-restore.md',
    `Remove the copy when done (refused while the app uses it): make db-restore-clean NAMESPACE=${o.namespace}`,
  ];
}

/** Switches the copy off and deletes its Cluster; refuses while the app release points at it. */
export async function dbRestoreClean(o: DbRestoreOptions, run: Run, log: (msg: string) => void, appRelease = 'dhakacart') {
  const values = await releaseValues(o, run);
  const copy = values.postgres.pitr?.clusterName ?? `${values.postgres.clusterName}-pitr`;
  const app = await run(o.helm, ['get', 'values', appRelease, '-n', o.namespace, '--all', '-o', 'json']);
  if (app.code === 0 && JSON.parse(app.stdout)?.database?.clusterName === copy) {
    throw new DbRestoreError(`the app (release ${appRelease}) runs on ${copy}: switch it back first (docs/runbooks/backup-restore.md)`);
  }
  if (values.postgres.pitr?.enabled) {
    await must(
      run,
      o.helm,
      ['upgrade', o.release, o.chart, '-n', o.namespace, '--reset-then-reuse-values', '--set', 'postgres.pitr.enabled=false'],
      'switch the copy off',
    );
  }
  // The chart keeps Clusters on removal (helm.sh/resource-policy: keep): deleting is explicit.
  const del = await run(o.kubectl, ['delete', 'cluster', copy, '-n', o.namespace, '--ignore-not-found', '--wait=true']);
  if (del.code !== 0) throw new DbRestoreError(`delete Cluster ${copy}: ${del.stderr.trim()}`);
  log(`${copy} removed; its own backups stay in the bucket under serverName ${copy} until deleted there`);
}
