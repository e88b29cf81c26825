/**
 * Backups and disaster recovery, run for real (issue 16, docs/runbooks/backup-restore.md):
 * a real PostgreSQL archives its WAL continuously with barman-cloud-wal-archive
 * into Garage (the backup_store role's configuration, behind HAProxy TLS from
 * the lab CA) exactly as the Barman Cloud plugin's sidecar would for the
 * chart's ObjectStore; barman-cloud-backup takes a base backup; shop traffic
 * writes orders; then
 *   1. a point-in-time restore to a moment between two known orders: the one
 *      before is there, the one after is not, every table's row count and the
 *      orders' totals are what the database held at that moment;
 *   2. the primary is killed and its disk counted as lost; what archiving as
 *      configured saved is measured (RPO: acknowledged orders lost, in seconds
 *      of shop time) against archive_timeout;
 *   3. the off-site copy (the role's dc-offsite-copy script, rclone) mirrors the
 *      bucket to a second Garage; its integrity check passes, then catches a
 *      deleted and a corrupted object, and the next sync repairs them; the store's
 *      metrics script reports health and the newest backups;
 *   4. the whole database is restored from that copy to the end of the archive
 *      (RTO: seeded shop plus the measured WAL), and the restore test's checks
 *      (src/ops/restore-test.ts) pass it, while they refuse a restore that misses
 *      the latest orders (the base backup without its WAL).
 * Measurements go to .cache/backup-test/report.md and .json (git-ignored).
 * PostgreSQL is Debian 12's (15, what make setup installs); the cluster runs 18:
 * the archive/restore protocol and barman-cloud's object layout are the same.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@dhakacart/devstack';
import pg from 'pg';
import t from 'tap';
import { readMigrations } from '../../src/db/migrator.js';
import { snapshotOrders, verifyRestoredDatabase } from '../../src/ops/restore-test.js';
import { asPostgresOwned, Barman, type BarmanBackup, chartObjectStore } from './backup/barman.js';
import { type PlacedOrder, placeOrder, placeOrders, prepareShop, rowCounts, walPosition } from './backup/shop.js';
import { type BackupStore, startStores } from './backup/store.js';
import { missingTools, rcloneBinary, repo, toolVersionsMatchTheLab } from './backup/tools.js';

// The measured run: archive_timeout while the primary takes orders, the WAL the
// restores replay, the order rate. Small enough for make test (about 2 min).
const ARCHIVE_TIMEOUT_S = Number(process.env.BACKUP_TEST_ARCHIVE_TIMEOUT_S ?? 5);
const WAL_MB = Number(process.env.BACKUP_TEST_WAL_MB ?? 48);
// Orders before the base backup (as MB of WAL they write): 0 in make test; larger for a one-off
// measurement of restore speed on a bigger database (docs/runbooks/backup-restore.md).
const BASE_MB = Number(process.env.BACKUP_TEST_BASE_MB ?? 0);
const SHOPPING_S = Number(process.env.BACKUP_TEST_SHOPPING_S ?? 3 * ARCHIVE_TIMEOUT_S + 2);
const ORDER_EVERY_MS = 100;
// What the cluster is configured with (charts/dhakacart-data values.yaml) and the targets.
const CHART_ARCHIVE_TIMEOUT_S = 120;
const RPO_TARGET_S = 300;
const RTO_TARGET_S = 1800;
const SERVER = 'dhakacart-db';

const helm = join(repo, '.cache', 'charts', 'bin', 'helm');
const missing = missingTools();
const skip =
  process.getuid?.() !== 0
    ? 'needs root: network namespaces for the stores, PostgreSQL as the postgres user'
    : missing.length
      ? `backup tools not built (make setup): ${missing.join('; ')}`
      : !existsSync(helm)
        ? 'helm not installed (make setup)'
        : false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mb = (bytes: number | bigint) => Math.round(Number(bytes) / 1024 / 104.8576) / 10;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** barman's JSON times ("Sun Dec  6 13:45:01 2026", the sidecar's TZ=UTC). */
function barmanTime(s: string): number {
  const m = /^\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(s.trim());
  if (!m) return Date.parse(s);
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1] as string) / 3;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** An ISO instant as PostgreSQL's recovery_target_time takes it ("2026-12-06 10:15:00.123+00"). */
const pgTime = (iso: string) => new Date(iso).toISOString().replace('T', ' ').replace('Z', '+00');

interface Restore {
  server: PostgresServer;
  url: string;
  backup: BarmanBackup;
  downloadMs: number;
  replayMs: number;
  totalMs: number;
  walFiles: number;
}

/**
 * A restore as CloudNativePG and the plugin do it: pick the newest completed
 * base backup that ended before the target (catalog.FindBackupInfo), check
 * that its first WAL is in the archive, barman-cloud-restore it, then recover
 * with barman-cloud-wal-restore as restore_command up to the target and promote.
 * The restored server archives nothing (archive_mode off): its new timeline
 * must never go into the archive it came from.
 */
async function restore(barman: Barman, dir: string, target: { time: string } | { immediate: true } | { latest: true }): Promise<Restore> {
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  asPostgresOwned(dir, 0o700);
  const done = (await barman.backups(SERVER))
    .filter((b) => b.status === 'DONE')
    .sort((a, b) => barmanTime(a.end_time) - barmanTime(b.end_time));
  const limit = 'time' in target ? Date.parse(target.time) : Number.POSITIVE_INFINITY;
  const backup = done.filter((b) => barmanTime(b.end_time) <= limit).at(-1);
  if (!backup) throw new Error(`no completed base backup ended before ${JSON.stringify(target)}`);
  await barman.run('barman-cloud-wal-restore', [...barman.walRestoreArgs(SERVER), backup.begin_wal, join(dir, 'first-wal.check')]);
  const pgdata = join(dir, 'pgdata');
  for (const d of [pgdata, join(dir, 'sock')]) {
    mkdirSync(d);
    asPostgresOwned(d, 0o700);
  }
  await barman.run('barman-cloud-restore', barman.restoreArgs(SERVER, backup.backup_id, pgdata));
  const downloadMs = Date.now() - started;
  writeFileSync(join(pgdata, 'recovery.signal'), '');
  asPostgresOwned(join(pgdata, 'recovery.signal'));
  const hook = join(dir, 'wal-restore');
  barman.writeHook(hook, 'barman-cloud-wal-restore', SERVER);
  const targetSettings =
    'time' in target ? [`recovery_target_time=${pgTime(target.time)}`] : 'immediate' in target ? ['recovery_target=immediate'] : [];
  const replayStart = Date.now();
  const server = await startPostgres({
    dataDir: dir,
    durable: true,
    settings: [`restore_command=${hook} %f %p`, ...targetSettings, 'recovery_target_action=promote', 'archive_mode=off'],
  });
  const url = server.urlFor('app');
  for (const deadline = Date.now() + 120_000; ; await sleep(100)) {
    const inRecovery = await withClient(server.adminUrl, async (c) => (await c.query('SELECT pg_is_in_recovery() AS r')).rows[0]?.r).catch(
      (error: Error) => {
        // PostgreSQL stops when recovery ends before its target: the WAL up to it is not in the archive.
        throw new Error(
          `the restored server stopped during recovery to ${JSON.stringify(target)} (WAL missing from the archive?): ${error.message}`,
        );
      },
    );
    if (!inRecovery) break;
    if (Date.now() > deadline) throw new Error('the restored server did not finish recovery within 120 s');
  }
  const replayMs = Date.now() - replayStart;
  const walFiles = readFileSync(`${hook}.log`, 'utf8')
    .split('\n')
    .filter((l) => / 0 [0-9A-F]{24}$/.test(l)).length;
  return { server, url, backup, downloadMs, replayMs, totalMs: Date.now() - started, walFiles };
}

t.test('backups and point-in-time recovery with the real tools', { skip, timeout: 600_000 }, async (t) => {
  t.same(toolVersionsMatchTheLab(), [], 'Garage and rclone are the releases the lab pins (versions.yml)');
  const outDir = join(repo, '.cache', 'backup-test');
  // Leftovers of runs that died (their pid is gone).
  for (const e of existsSync(outDir) ? readdirSync(outDir) : []) {
    const m = /^run-(\d+)$/.exec(e);
    if (m && !existsSync(`/proc/${m[1]}`)) rmSync(join(outDir, e), { recursive: true, force: true });
  }
  const base = join(outDir, `run-${process.pid}`);
  mkdirSync(base, { recursive: true });
  const report: Record<string, unknown> = {
    at: new Date().toISOString(),
    postgres: 'Debian 12 PostgreSQL 15',
    archiveTimeoutSeconds: ARCHIVE_TIMEOUT_S,
  };
  const servers: PostgresServer[] = [];
  let stores: Map<string, BackupStore> | undefined;
  t.teardown(async () => {
    await Promise.allSettled(servers.map((s) => s.dispose()));
    await Promise.allSettled([...(stores?.values() ?? [])].map((s) => s.stop()));
    writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (!t.passing()) t.comment(`kept for inspection: ${base}`);
    else rmSync(base, { recursive: true, force: true });
  });

  // ---- the stores, and the primary taking its first orders meanwhile
  const config = chartObjectStore();
  t.equal(config.walCompression, 'gzip', "the chart's ObjectStore compresses WAL with gzip (the test uses its settings)");
  const bucket = /^s3:\/\/([^/]+)/.exec(config.destinationPath)?.[1] as string;
  const primaryDir = join(base, 'primary');
  mkdirSync(primaryDir);
  const t0 = Date.now();
  const [started, primary] = await Promise.all([
    startStores(join(base, 'stores'), [
      { name: 'offsite', bucket: 'dhakacart-offsite' },
      { name: 'backup', bucket, offsiteTo: 'offsite' },
    ]),
    startPostgres({ dataDir: primaryDir, durable: true, settings: ['archive_mode=on', 'wal_level=replica', 'max_wal_size=256MB'] }),
  ]);
  stores = started;
  servers.push(primary);
  const store = stores.get('backup') as BackupStore;
  const offsite = stores.get('offsite') as BackupStore;
  report.storesStartSeconds = seconds(Date.now() - t0);
  t.pass(
    `two Garage stores up from the backup_store role's configuration (TLS by HAProxy, lab CA; bootstrap.yml run for real) in ${report.storesStartSeconds} s`,
  );
  const barman = new Barman(store, config);

  await withClient(primary.adminUrl, (c) => c.query('CREATE DATABASE app'));
  const url = primary.urlFor('app');
  const seedStart = Date.now();
  const userId = await prepareShop(url);
  report.seedSeconds = seconds(Date.now() - seedStart);

  // ---- continuous WAL archiving, as the plugin starts it
  await barman.run('barman-cloud-check-wal-archive', barman.walRestoreArgs(SERVER));
  t.pass(`barman-cloud-check-wal-archive: ${SERVER} starts from an empty archive`);
  const archiveHook = join(base, 'hooks', 'wal-archive');
  mkdirSync(join(base, 'hooks'), { recursive: true });
  asPostgresOwned(join(base, 'hooks'), 0o700);
  barman.writeHook(archiveHook, 'barman-cloud-wal-archive', SERVER);
  const primaryClient = new pg.Client({ connectionString: url });
  await primaryClient.connect();
  t.teardown(() => primaryClient.end().catch(() => {}));
  await withClient(primary.adminUrl, async (c) => {
    await c.query(`ALTER SYSTEM SET archive_command = '${archiveHook} %p'`);
    await c.query(`ALTER SYSTEM SET archive_timeout = '${CHART_ARCHIVE_TIMEOUT_S}s'`);
    await c.query('SELECT pg_reload_conf()');
  });

  // ---- a base backup of the seeded shop (and of earlier orders, for a bigger measurement run)
  let batches = 0;
  const preStart = await walPosition(primaryClient);
  while ((await walPosition(primaryClient)) - preStart < BigInt(BASE_MB) * 1024n * 1024n)
    await placeOrders(primaryClient, userId, 2000, batches++);
  const backupStart = Date.now();
  await barman.run('barman-cloud-backup', barman.backupArgs(SERVER, 'base-after-seed'), {
    PGHOST: '127.0.0.1',
    PGPORT: String(primary.port),
  });
  report.baseBackupSeconds = seconds(Date.now() - backupStart);
  const [backup] = (await barman.backups(SERVER)).filter((b) => b.status === 'DONE');
  t.ok(backup, 'barman-cloud-backup-list shows the completed base backup');
  const baseSize = JSON.parse(
    (await store.run(rcloneBinary, ['size', '--json', `store:${bucket}/${SERVER}/base/${backup?.backup_id}`])).stdout,
  );
  report.database = {
    bytes: Number((await primaryClient.query(`SELECT pg_database_size('app') AS b`)).rows[0]?.b),
    baseBackupCompressedBytes: baseSize.bytes,
  };
  t.ok(
    baseSize.count >= 2,
    `the base backup in the chart's layout: ${bucket}/${SERVER}/base/${backup?.backup_id}/ (${baseSize.count} objects, ${mb(baseSize.bytes)} MB)`,
  );

  // ---- shop traffic after the backup: what a restore must replay
  const walStart = await walPosition(primaryClient);
  const trafficStart = Date.now();
  const batchesBefore = batches;
  while ((await walPosition(primaryClient)) - walStart < BigInt(WAL_MB) * 1024n * 1024n)
    await placeOrders(primaryClient, userId, 2000, batches++);
  const walBytes = (await walPosition(primaryClient)) - walStart;
  // The archive must catch up with a burst before its bound holds: how long that takes is the
  // archive's throughput (one upload at a time, as the plugin with wal.maxParallel 1).
  const switched = (await primaryClient.query<{ seg: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS seg')).rows[0]?.seg as string;
  for (const deadline = Date.now() + 600_000; ; await sleep(200)) {
    const { rows } = await primaryClient.query<{ last: string | null }>('SELECT last_archived_wal AS last FROM pg_stat_archiver');
    if ((rows[0]?.last ?? '') >= switched) break;
    if (Date.now() > deadline) throw new Error(`WAL up to ${switched} not archived within 10 minutes`);
  }
  const archivedMs = Date.now() - trafficStart;
  report.traffic = {
    orders: (batches - batchesBefore) * 2000,
    walBytes: Number(walBytes),
    archivedSeconds: seconds(archivedMs),
    archiveMBPerSecond: Math.round((Number(walBytes) / 1048576 / (archivedMs / 1000)) * 10) / 10,
  };

  // ---- two known orders around the target time
  const before = await placeOrder(primaryClient, userId);
  await sleep(300);
  // Milliseconds, like created_at: the same instant for PostgreSQL's recovery_target_time and for JavaScript.
  const instant = (await primaryClient.query<{ t: Date }>(`SELECT date_trunc('milliseconds', clock_timestamp()) AS t`)).rows[0];
  const target = (instant as { t: Date }).t.toISOString();
  const atTarget = { rows: await rowCounts(primaryClient), orders: await snapshotOrders(url, target) };
  await sleep(300);
  const after = await placeOrder(primaryClient, userId);
  report.target = { time: target, orderBefore: before.number, orderAfter: after.number, orders: atTarget.orders };

  // ---- shoppers keep buying with archive_timeout = ARCHIVE_TIMEOUT_S, then the primary is lost
  await primaryClient.query(`ALTER SYSTEM SET archive_timeout = '${ARCHIVE_TIMEOUT_S}s'`);
  await primaryClient.query('SELECT pg_reload_conf()');
  const acknowledged: PlacedOrder[] = [before, after];
  for (const end = Date.now() + SHOPPING_S * 1000; Date.now() < end; await sleep(ORDER_EVERY_MS)) {
    acknowledged.push(await placeOrder(primaryClient, userId));
  }
  const uploads = readFileSync(`${archiveHook}.log`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .filter((f) => f[2] === '0')
    .map((f) => Number(f[1]) - Number(f[0]));
  // The bound: archive_timeout plus one upload (twice the slowest seen, at least 5 s: a busy machine).
  const maxLossS = ARCHIVE_TIMEOUT_S + Math.max(5, Math.ceil((2 * Math.max(...uploads)) / 1000));
  // What the weekly restore test would read from production just before: the orders older than
  // that must all come back.
  const production = await snapshotOrders(url, new Date(Date.now() - maxLossS * 1000));
  await primaryClient.end();
  const lostAt = Date.now();
  await primary.crash();
  t.pass(`primary killed after ${acknowledged.length} acknowledged orders over ${SHOPPING_S} s; its disk is not read again`);
  report.walArchive = {
    segmentsUploaded: uploads.length,
    uploadMedianMs: [...uploads].sort((a, b) => a - b)[Math.floor(uploads.length / 2)],
    uploadMaxMs: Math.max(...uploads),
  };

  // ---- 1. point-in-time restore between the two orders
  await t.test('point-in-time restore to a moment between two known orders', async (t) => {
    const r = await restore(barman, join(base, 'pitr'), { time: target });
    servers.push(r.server);
    report.pitr = {
      downloadSeconds: seconds(r.downloadMs),
      replaySeconds: seconds(r.replayMs),
      totalSeconds: seconds(r.totalMs),
      walFiles: r.walFiles,
    };
    const got = await verifyRestoredDatabase(r.url, readMigrations(), {
      rows: atTarget.rows,
      orders: atTarget.orders,
      present: [before.id],
      absent: [after.id],
      newestOrderAtMost: target,
    });
    t.pass(`restored to ${target} in ${seconds(r.totalMs)} s: order #${before.number} there, #${after.number} not`);
    t.same(got.rows, atTarget.rows, `every table's row count as at the target (${got.rows.orders} orders, ${got.rows.order_items} items)`);
    t.same(got.orders, atTarget.orders, `orders up to the target: ${got.orders?.count}, total ${got.orders?.totalPoisha} poisha`);
    // A recovered server starts a new timeline: archiving it under the old name would mix timelines.
    await t.rejects(
      barman.run('barman-cloud-check-wal-archive', barman.walRestoreArgs(SERVER)),
      'the old serverName is refused (not empty)',
    );
    await barman.run('barman-cloud-check-wal-archive', barman.walRestoreArgs(`${SERVER}-pitr`));
    t.pass(`a new serverName (${SERVER}-pitr, the chart's default for the copy) is accepted`);
    await r.server.dispose();
  });

  // ---- 3. the off-site copy, its integrity check and the store's metrics
  const metrics = (s: BackupStore, file: string) => {
    const text = existsSync(join(s.textfileDir, file)) ? readFileSync(join(s.textfileDir, file), 'utf8') : '';
    return Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => {
          const i = l.lastIndexOf(' ');
          return [l.slice(0, i), Number(l.slice(i + 1))];
        }),
    ) as Record<string, number>;
  };
  const script = (name: string) => join(repo, 'ansible', 'roles', 'backup_store', 'files', name);
  const lockEnv = { DC_LOCK: join(store.dir, 'offsite.lock') };
  await t.test('the off-site copy: mirror, integrity check, a seeded fault caught and repaired', async (t) => {
    const syncStart = Date.now();
    const sync = await store.run(script('dc-offsite-copy'), ['sync'], lockEnv);
    t.equal(sync.code, 0, `dc-offsite-copy sync (${seconds(Date.now() - syncStart)} s): ${sync.stdout.trim().split('\n').at(-1)}`, {
      output: `${sync.stdout}${sync.stderr}`.slice(-3000),
    });
    let m = metrics(store, 'backup_offsite_copy.prom');
    t.equal(m.backup_offsite_copy_configured, 1, 'configured');
    t.equal(m.backup_offsite_copy_differences, 0, 'the check after the sync finds no difference');
    t.ok(
      (m.backup_offsite_copy_objects ?? 0) > 2,
      `${m.backup_offsite_copy_objects} objects, ${mb(m.backup_offsite_copy_bytes ?? 0)} MB copied`,
    );
    t.ok(Math.abs((m.backup_offsite_copy_last_success_timestamp_seconds ?? 0) * 1000 - syncStart) < 5000, 'last success is this run');
    report.offsite = {
      syncSeconds: seconds(Date.now() - syncStart),
      objects: m.backup_offsite_copy_objects,
      bytes: m.backup_offsite_copy_bytes,
    };

    const verify = await store.run(script('dc-offsite-copy'), ['verify'], { ...lockEnv, DC_VERIFY_MIN_AGE: '0s' });
    t.equal(verify.code, 0, 'dc-offsite-copy verify: byte for byte equal');

    // Seeded faults in the copy: one WAL file gone, another with the same size but other bytes.
    const listed = (
      await offsite.run(rcloneBinary, ['lsf', '-R', '--files-only', `store:dhakacart-offsite/lab/current/${SERVER}/wals`])
    ).stdout
      .split('\n')
      .filter((l) => l.endsWith('.gz'));
    const [gone, bad] = listed;
    const wals = `store:dhakacart-offsite/lab/current/${SERVER}/wals`;
    await offsite.run(rcloneBinary, ['deletefile', `${wals}/${gone}`]);
    const size = Number(JSON.parse((await offsite.run(rcloneBinary, ['size', '--json', `${wals}/${bad}`])).stdout).bytes);
    const junk = join(base, 'junk.gz');
    writeFileSync(junk, Buffer.alloc(size, 0x5a));
    const tampered = await offsite.run(rcloneBinary, ['copyto', '--ignore-times', junk, `${wals}/${bad}`]);
    t.equal(tampered.code, 0, `seeded: ${gone} deleted from the copy, ${bad} overwritten with ${size} other bytes`);
    const caught = await store.run(script('dc-offsite-copy'), ['verify'], { ...lockEnv, DC_VERIFY_MIN_AGE: '0s' });
    m = metrics(store, 'backup_offsite_copy.prom');
    t.not(caught.code, 0, 'verify fails on the damaged copy');
    t.equal(m.backup_offsite_copy_differences, 2, 'both damaged objects are counted');
    t.equal(m.backup_offsite_copy_last_run_success, 0, 'last run not successful');
    t.match(caught.stdout, gone as string, 'the deleted object is named');
    const repair = await store.run(script('dc-offsite-copy'), ['sync'], lockEnv);
    m = metrics(store, 'backup_offsite_copy.prom');
    t.equal(repair.code, 0, 'the next sync repairs the copy');
    t.equal(m.backup_offsite_copy_differences, 0, 'and finds it equal again');
    const kept = await offsite.run(rcloneBinary, ['lsf', '-R', '--files-only', 'store:dhakacart-offsite/lab/deleted']);
    t.match(kept.stdout, bad as string, 'the replaced object was kept under deleted/<date>, not dropped');

    const probe = await store.run(script('dc-backup-store-metrics'), []);
    const s = metrics(store, 'backup_store.prom');
    t.equal(probe.code, 0, `dc-backup-store-metrics ${probe.stdout.trim()}`);
    t.equal(s.backup_store_garage_healthy, 1, "Garage's /health: healthy");
    t.equal(s.backup_store_s3_tls_up, 1, 'the S3 endpoint answers over TLS with the lab CA');
    t.equal(s[`backup_store_base_backups{server="${SERVER}"}`], 1, 'one completed base backup held');
    t.ok(
      Math.abs(
        (s[`backup_store_last_base_backup_timestamp_seconds{server="${SERVER}"}`] ?? 0) * 1000 - barmanTime(backup?.end_time ?? ''),
      ) < 2000,
      "newest base backup: its backup.info's end_time",
    );
    t.ok(
      (s[`backup_store_last_wal_timestamp_seconds{server="${SERVER}"}`] ?? 0) * 1000 > lostAt - 60_000,
      'newest WAL: minutes old at most',
    );
    // The names the alerts read (charts/dhakacart/files/alerts/backup.yaml) are the ones the scripts write.
    const listedNames = new Set(
      readFileSync(join(repo, 'charts', 'tests', 'observability', 'exporter-metrics.txt'), 'utf8')
        .split('\n')
        .map((l) => l.trim()),
    );
    const written = new Set(
      [...Object.keys(metrics(store, 'backup_offsite_copy.prom')), ...Object.keys(s)].map((k) => k.replace(/\{.*$/, '')),
    );
    for (const name of written) t.ok(listedNames.has(name), `${name} is listed in exporter-metrics.txt`);
  });

  // ---- 4. lose everything but the copy: restore the whole database from it
  await t.test('the whole database restored from the off-site copy, to the end of the archive', async (t) => {
    const fromCopy = new Barman(offsite, { ...config, destinationPath: 's3://dhakacart-offsite/lab/current/' });
    const r = await restore(fromCopy, join(base, 'from-copy'), { latest: true });
    servers.push(r.server);
    const present = new Set(
      await withClient(r.url, async (c) =>
        (
          await c.query<{ id: string }>('SELECT id::text AS id FROM orders WHERE id = ANY($1::uuid[])', [acknowledged.map((o) => o.id)])
        ).rows.map((row) => row.id),
      ),
    );
    const lost = acknowledged.filter((o) => !present.has(o.id));
    const lastSaved = acknowledged.filter((o) => present.has(o.id)).at(-1);
    const lastAcked = acknowledged.at(-1) as PlacedOrder;
    // Nothing saved: at least the whole span of the orders followed.
    const rpoS = lost.length === 0 ? 0 : seconds(lastAcked.acknowledgedAt - (lastSaved ?? (acknowledged[0] as PlacedOrder)).acknowledgedAt);
    report.rpo = { archiveTimeoutSeconds: ARCHIVE_TIMEOUT_S, acknowledged: acknowledged.length, lost: lost.length, seconds: rpoS };
    t.ok(
      lost.every((o, i) => i === 0 || o.number > (lost[i - 1] as PlacedOrder).number),
      'only the newest orders are lost: a suffix',
    );
    t.ok(
      rpoS <= maxLossS,
      `RPO ${rpoS} s (${lost.length} of ${acknowledged.length} acknowledged orders) <= ${maxLossS} s: archive_timeout ${ARCHIVE_TIMEOUT_S} s + one upload`,
    );
    const restoreReport = await verifyRestoredDatabase(r.url, readMigrations(), { orders: production });
    t.equal(
      restoreReport.orders?.count,
      production.count,
      `the restore test's check passes: all ${production.count} orders older than ${maxLossS} s are back`,
    );
    report.rto = {
      downloadSeconds: seconds(r.downloadMs),
      replaySeconds: seconds(r.replayMs),
      totalSeconds: seconds(r.totalMs),
      walFilesReplayed: r.walFiles,
      databaseMB: mb((report.database as { bytes: number }).bytes),
      baseBackupCompressedMB: mb((report.database as { baseBackupCompressedBytes: number }).baseBackupCompressedBytes),
    };
    t.ok(
      r.totalMs < RTO_TARGET_S * 1000,
      `RTO (database part) ${seconds(r.totalMs)} s: download ${seconds(r.downloadMs)} s, ${r.walFiles} WAL files replayed in ${seconds(r.replayMs)} s`,
    );
    await r.server.dispose();

    const stale = await restore(barman, join(base, 'stale'), { immediate: true });
    servers.push(stale.server);
    await t.rejects(
      verifyRestoredDatabase(stale.url, readMigrations(), { orders: production }),
      { name: 'RestoreCheckError', message: /misses orders/ },
      'the same check refuses a restore that misses the latest orders (the base backup without its WAL)',
    );
    await stale.server.dispose();
  });

  const rto = report.rto as { totalSeconds: number } | undefined;
  const rpo = report.rpo as { seconds: number } | undefined;
  const lines = [
    `# Backup and restore measurements (${report.at})`,
    '',
    'From services/api/test/ops/pitr.test.ts (make test). PostgreSQL 15 (Debian 12), Garage and barman-cloud as in the lab.',
    '',
    '| what | measured |',
    '| --- | --- |',
    `| database at the base backup, the backup compressed | ${mb((report.database as { bytes: number }).bytes)} MB, ${mb((report.database as { baseBackupCompressedBytes: number }).baseBackupCompressedBytes)} MB |`,
    `| base backup | ${report.baseBackupSeconds} s |`,
    `| WAL written after the backup (replayed by the restores) | ${mb((report.traffic as { walBytes: number }).walBytes)} MB (${(report.traffic as { orders: number }).orders} orders) |`,
    `| that WAL in the store (from the first order to the last segment archived) | ${(report.traffic as { archivedSeconds: number }).archivedSeconds} s: ${(report.traffic as { archiveMBPerSecond: number }).archiveMBPerSecond} MB/s |`,
    `| WAL segment upload (median / max) | ${(report.walArchive as { uploadMedianMs: number }).uploadMedianMs} / ${(report.walArchive as { uploadMaxMs: number }).uploadMaxMs} ms |`,
    `| RPO at archive_timeout ${ARCHIVE_TIMEOUT_S} s | ${rpo?.seconds} s (${(report.rpo as { lost: number } | undefined)?.lost} of ${(report.rpo as { acknowledged: number } | undefined)?.acknowledged} acknowledged orders lost) |`,
    `| RPO bound at the chart's archive_timeout ${CHART_ARCHIVE_TIMEOUT_S} s | <= ${CHART_ARCHIVE_TIMEOUT_S} s + one upload (target ${RPO_TARGET_S} s) |`,
    `| point-in-time restore | ${(report.pitr as { totalSeconds: number } | undefined)?.totalSeconds} s |`,
    `| whole database from the off-site copy (RTO, database part) | ${rto?.totalSeconds} s: download ${(report.rto as { downloadSeconds: number } | undefined)?.downloadSeconds} s, ${(report.rto as { walFilesReplayed: number } | undefined)?.walFilesReplayed} WAL files replayed in ${(report.rto as { replaySeconds: number } | undefined)?.replaySeconds} s (target ${RTO_TARGET_S} s for everything) |`,
    `| off-site sync (first) | ${(report.offsite as { syncSeconds: number } | undefined)?.syncSeconds} s |`,
    '',
  ];
  writeFileSync(join(outDir, 'report.md'), `${lines.join('\n')}\n`);
  t.comment(lines.filter((l) => l.startsWith('|') && !l.startsWith('| ---') && !l.startsWith('| what')).join('\n'));
});
