import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import pg from 'pg';
import { type Migration, readMigrations } from '../db/migrator.js';

/**
 * The weekly restore test (docs/runbooks/restore-test.md): a backup only counts
 * once it has been restored. This restores the newest base backup plus WAL from
 * the object store into a throwaway one-instance CloudNativePG cluster, checks
 * that the restored database is the shop's, is readable end to end and holds
 * every order production held `maxDataLossSeconds` before the run (the RPO
 * target), and deletes the cluster again whatever happened. The Job's exit
 * status is the result; kube-state-metrics turns the CronJob's last success
 * into the "restore test too old" alert.
 *
 * The database checks (verifyRestoredDatabase) are also what the point-in-time
 * restore test (test/ops/pitr.test.ts) and `make db-restore` judge a restore by.
 */
export interface RestoreTestOptions {
  namespace: string;
  /** The production cluster whose backups are restored (its image and storage class are reused). */
  sourceCluster: string;
  /** Barman Cloud plugin ObjectStore holding the backups. */
  objectStore: string;
  /** The source's folder in the object store (its plugin serverName; usually the cluster's name). */
  serverName: string;
  /** Secret with the app owner's credentials: the restored owner gets the same password. */
  appSecret: string;
  database: string;
  owner: string;
  storageSize: string;
  readyTimeoutMs: number;
  pollMs: number;
  /** Orders production held this long before the run must all be in the restore (RPO target). */
  maxDataLossSeconds: number;
}

export interface RestoreReport {
  migrations: number;
  newerMigrations: string[];
  rows: Record<string, number>;
  newestOrderAt: string | null;
  /** The restore's side of `expect.orders`, when there was one. */
  orders?: OrdersSnapshot;
}

/**
 * The orders a database holds that were created up to `upTo`: how many, what
 * they add up to, the newest order number. The same numbers read from the
 * source and from a restore must agree, or the restore lost (or invented) orders.
 */
export interface OrdersSnapshot {
  upTo: string;
  count: number;
  /** Sum of total_poisha, as a decimal string (bigint). */
  totalPoisha: string;
  newestNumber: number | null;
}

/** What a restore must reproduce, as read from the source (all optional). */
export interface RestoreExpectation {
  /** Must equal the restore's snapshot at the same `upTo`. */
  orders?: OrdersSnapshot;
  /** Exact row counts of these tables (a point-in-time restore: the source's at the target). */
  rows?: Record<string, number>;
  /** Orders (ids) that must be in the restore. */
  present?: string[];
  /** Orders (ids) that must not be: committed after the restore's target. */
  absent?: string[];
  /** No order may be newer than this (a restore to a point in time). */
  newestOrderAtMost?: string;
}
export class RestoreCheckError extends Error {
  override name = 'RestoreCheckError';
}

export const restoreClusterName = (source: string) => `${source}-restore-test`;

/** The throwaway Cluster: one instance, recovered from the source's backups in the object store. */
export function restoreClusterManifest(o: RestoreTestOptions, source: { imageName?: string; storageClass?: string }) {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: {
      name: restoreClusterName(o.sourceCluster),
      namespace: o.namespace,
      labels: { 'app.kubernetes.io/part-of': 'dhakacart', 'app.kubernetes.io/component': 'restore-test' },
    },
    spec: {
      instances: 1,
      ...(source.imageName ? { imageName: source.imageName } : {}),
      storage: { size: o.storageSize, ...(source.storageClass ? { storageClass: source.storageClass } : {}) },
      bootstrap: {
        recovery: { source: 'origin', database: o.database, owner: o.owner, secret: { name: o.appSecret } },
      },
      externalClusters: [
        {
          name: 'origin',
          plugin: {
            name: 'barman-cloud.cloudnative-pg.io',
            parameters: { barmanObjectName: o.objectStore, serverName: o.serverName },
          },
        },
      ],
    },
  };
}

/** The orders snapshot of the database at `url` (see OrdersSnapshot). */
export async function snapshotOrders(url: string, upTo: Date | string): Promise<OrdersSnapshot> {
  const client = new pg.Client({ connectionString: url, application_name: 'dhakacart-restore-test' });
  await client.connect();
  try {
    return await ordersUpTo(client, new Date(upTo));
  } finally {
    await client.end();
  }
}

async function ordersUpTo(client: pg.Client, upTo: Date): Promise<OrdersSnapshot> {
  const { rows } = await client.query<{ n: string; total: string; newest: number | null }>(
    `SELECT count(*) AS n, coalesce(sum(total_poisha), 0)::text AS total, max(number) AS newest
       FROM orders WHERE created_at <= $1`,
    [upTo],
  );
  const r = rows[0];
  return { upTo: upTo.toISOString(), count: Number(r?.n ?? 0), totalPoisha: r?.total ?? '0', newestNumber: r?.newest ?? null };
}

const describe = (o: OrdersSnapshot) => `${o.count} orders worth ${o.totalPoisha} poisha (newest #${o.newestNumber ?? 'none'})`;

/**
 * Checks a restored database: its migration history is one this build knows,
 * checksum for checksum; every table reads in full (a sequential count touches
 * every heap page); the catalog is not empty; and whatever `expect` says the
 * source held (orders up to a time, row counts, orders present or absent).
 * Throws RestoreCheckError.
 */
export async function verifyRestoredDatabase(
  url: string,
  migrations: Migration[] = readMigrations(),
  expect: RestoreExpectation = {},
): Promise<RestoreReport> {
  const client = new pg.Client({ connectionString: url, application_name: 'dhakacart-restore-test' });
  await client.connect();
  try {
    const history = await client
      .query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')
      .catch((error: Error) => {
        throw new RestoreCheckError(`no migration history in the restored database: ${error.message}`);
      });
    const known = new Map(migrations.map((m) => [m.name, m.checksum]));
    const newer: string[] = [];
    for (const row of history.rows) {
      const checksum = known.get(row.name);
      if (checksum === undefined) newer.push(row.name);
      else if (checksum !== row.checksum) throw new RestoreCheckError(`migration ${row.name} in the backup differs from this build's`);
    }
    if (history.rows.length === 0) throw new RestoreCheckError('the restored database has an empty migration history');

    const tables = await client.query<{ name: string }>(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const rows: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const { rows: r } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
      rows[name] = Number(r[0]?.n);
    }
    if (!rows.products) throw new RestoreCheckError('the restored database has no products');
    const newest = await client.query<{ at: Date | null }>('SELECT max(created_at) AS at FROM orders');
    const newestOrderAt = newest.rows[0]?.at?.toISOString() ?? null;
    const report: RestoreReport = { migrations: history.rows.length, newerMigrations: newer, rows, newestOrderAt };

    if (expect.orders) {
      const got = await ordersUpTo(client, new Date(expect.orders.upTo));
      report.orders = got;
      if (
        got.count !== expect.orders.count ||
        got.totalPoisha !== expect.orders.totalPoisha ||
        got.newestNumber !== expect.orders.newestNumber
      ) {
        const verb = got.count < expect.orders.count ? 'misses orders' : 'does not match the source';
        throw new RestoreCheckError(
          `the restore ${verb}: up to ${expect.orders.upTo} the source held ${describe(expect.orders)}, the restore holds ${describe(got)}`,
        );
      }
    }
    for (const [table, want] of Object.entries(expect.rows ?? {})) {
      if (rows[table] !== want)
        throw new RestoreCheckError(`table ${table}: the source held ${want} rows, the restore holds ${rows[table] ?? 'no table'}`);
    }
    const ids = [...(expect.present ?? []), ...(expect.absent ?? [])];
    if (ids.length) {
      const found = new Set(
        (await client.query<{ id: string }>('SELECT id::text AS id FROM orders WHERE id = ANY($1::uuid[])', [ids])).rows.map((r) => r.id),
      );
      const missing = (expect.present ?? []).filter((id) => !found.has(id));
      if (missing.length) throw new RestoreCheckError(`the restore misses orders it must hold: ${missing.join(', ')}`);
      const extra = (expect.absent ?? []).filter((id) => found.has(id));
      if (extra.length) throw new RestoreCheckError(`the restore holds orders committed after its target: ${extra.join(', ')}`);
    }
    if (expect.newestOrderAtMost && newestOrderAt && new Date(newestOrderAt) > new Date(expect.newestOrderAtMost)) {
      throw new RestoreCheckError(`the restore holds an order from ${newestOrderAt}, after its target ${expect.newestOrderAtMost}`);
    }
    return report;
  } finally {
    await client.end();
  }
}

/** What the runner reads of a Cluster, or of the API's error Status. */
interface KubeObject {
  message?: string;
  spec?: { imageName?: string; storage?: { storageClass?: string } };
  status?: { phase?: string; readyInstances?: number };
}
interface KubeResponse {
  status: number;
  body: KubeObject | undefined;
}

/** The Kubernetes API as this pod's service account sees it (in-cluster config). */
export interface Kube {
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<KubeResponse>;
}

export function inClusterKube(saDir = '/var/run/secrets/kubernetes.io/serviceaccount', env = process.env): Kube {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)');
  const ca = readFileSync(`${saDir}/ca.crt`);
  return {
    call: (method, path, body) =>
      new Promise((resolve, reject) => {
        // Re-read: the kubelet rotates projected service-account tokens.
        const token = readFileSync(`${saDir}/token`, 'utf8').trim();
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            host,
            port,
            path,
            method,
            ca,
            timeout: 30_000,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(payload ? { 'content-type': 'application/json' } : {}),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`Kubernetes API ${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(payload);
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The whole drill. `dbUrl` is the source's app URI; only its host is changed to the restored cluster's. */
export async function runRestoreTest(kube: Kube, o: RestoreTestOptions, dbUrl: string, log: (msg: string, extra?: object) => void) {
  const clusters = `/apis/postgresql.cnpg.io/v1/namespaces/${o.namespace}/clusters`;
  const name = restoreClusterName(o.sourceCluster);
  const expect = (r: KubeResponse, ok: number[], what: string) => {
    if (!ok.includes(r.status)) throw new Error(`${what}: Kubernetes API answered ${r.status} ${r.body?.message ?? ''}`);
    return r;
  };
  const gone = async () => {
    for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; await sleep(o.pollMs)) {
      if ((await kube.call('GET', `${clusters}/${name}`)).status === 404) return;
    }
    throw new Error(`cluster ${name} was not deleted within 10 minutes`);
  };

  const source = expect(await kube.call('GET', `${clusters}/${o.sourceCluster}`), [200], `read cluster ${o.sourceCluster}`).body ?? {};
  // What production held maxDataLossSeconds ago: the restore, which replays the archive to its
  // end, must hold all of it. Read before the restore starts, with the app's own credentials.
  const upTo = new Date(Date.now() - o.maxDataLossSeconds * 1000);
  const production = await snapshotOrders(dbUrl, upTo);
  log('production read', { upTo: production.upTo, orders: production.count, newestOrderNumber: production.newestNumber });
  // A previous run killed mid-way leaves its cluster behind: start clean.
  if (expect(await kube.call('DELETE', `${clusters}/${name}`), [200, 202, 404], `delete leftover ${name}`).status !== 404) {
    log('deleted a leftover restore cluster', { cluster: name });
    await gone();
  }
  const started = Date.now();
  expect(
    await kube.call(
      'POST',
      clusters,
      restoreClusterManifest(o, { imageName: source.spec?.imageName, storageClass: source.spec?.storage?.storageClass }),
    ),
    [201],
    `create ${name}`,
  );
  log('restore cluster created', { cluster: name });
  try {
    for (;;) {
      const status = expect(await kube.call('GET', `${clusters}/${name}`), [200], `read ${name}`).body?.status ?? {};
      if ((status.readyInstances ?? 0) >= 1 && status.phase === 'Cluster in healthy state') break;
      if (Date.now() - started > o.readyTimeoutMs) {
        throw new RestoreCheckError(`restore did not finish within ${o.readyTimeoutMs / 1000} s (phase: ${status.phase ?? 'none'})`);
      }
      await sleep(o.pollMs);
    }
    const restoreSeconds = Math.round((Date.now() - started) / 1000);
    const url = new URL(dbUrl);
    url.hostname = `${name}-rw.${o.namespace}.svc`;
    const report = await verifyRestoredDatabase(url.toString(), readMigrations(), { orders: production });
    log('restore test passed', { restoreSeconds, ...report });
    return { restoreSeconds, ...report };
  } finally {
    const r = await kube.call('DELETE', `${clusters}/${name}`);
    if (![200, 202, 404].includes(r.status)) log('could not delete the restore cluster', { cluster: name, status: r.status });
    else await gone();
  }
}
