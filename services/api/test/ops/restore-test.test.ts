/**
 * The restore test's checks against real PostgreSQL databases, and the Cluster
 * it asks CloudNativePG for against CloudNativePG's own CRD schema. The drill
 * itself (create, wait, delete through the Kubernetes API) needs a cluster with
 * the operator and a backup store (docs/runbooks/restore-test.md); the same
 * checks judge real restores from real backups in pitr.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import pg from 'pg';
import t from 'tap';
import { parse } from 'yaml';
import { readMigrations } from '../../src/db/migrator.js';
import { RestoreCheckError, restoreClusterManifest, snapshotOrders, verifyRestoredDatabase } from '../../src/ops/restore-test.js';
import { freshDatabase } from '../helpers/harness.js';

async function exec(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

t.test('a database holding the shop passes, with every table counted', async (t) => {
  const url = await freshDatabase(t);
  const report = await verifyRestoredDatabase(url);
  t.equal(report.migrations, readMigrations().length, 'the whole migration history matches this build');
  t.same(report.newerMigrations, []);
  t.ok((report.rows.products ?? 0) > 2000, `${report.rows.products} products`);
  for (const table of ['orders', 'order_items', 'users', 'schema_migrations']) t.type(report.rows[table], 'number', `${table} was read`);
  t.equal(report.newestOrderAt, null, 'no orders yet');
});

t.test('a backup from a newer release is reported, not failed', async (t) => {
  const url = await freshDatabase(t);
  await exec(url, `INSERT INTO schema_migrations (name, checksum, duration_ms) VALUES ('29990101000000_future', 'x', 1)`);
  t.same((await verifyRestoredDatabase(url)).newerMigrations, ['29990101000000_future']);
});

t.test('what a bad restore looks like is refused', async (t) => {
  const empty = await freshDatabase(t, { empty: true });
  await t.rejects(verifyRestoredDatabase(empty), RestoreCheckError, 'an empty database (wrong backup, wrong database name)');

  const edited = await freshDatabase(t);
  await exec(edited, `UPDATE schema_migrations SET checksum = 'edited' WHERE name = (SELECT min(name) FROM schema_migrations)`);
  await t.rejects(
    verifyRestoredDatabase(edited),
    { name: 'RestoreCheckError', message: /differs from this build/ },
    'a history that is not ours',
  );

  const noCatalog = await freshDatabase(t);
  await exec(noCatalog, 'TRUNCATE products CASCADE');
  await t.rejects(verifyRestoredDatabase(noCatalog), { message: /no products/ }, 'a database without the catalog');
});

t.test('what the source held is checked: orders up to a time, row counts, orders present or absent', async (t) => {
  const url = await freshDatabase(t);
  await exec(
    url,
    `INSERT INTO users (email, password_hash, name) VALUES ('restore@dhakacart.local', 'x', 'R');
     INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider,
                         shipping_name, shipping_phone, shipping_address, shipping_city, created_at)
     SELECT id, 'paid', 1000 * g, 'k' || g, 'h', 'bkash', 'n', 'p', 'a', 'c', timestamptz '2026-12-06 10:00:00+00' + g * interval '1 minute'
       FROM users, generate_series(1, 3) g`,
  );
  const upTo = '2026-12-06T10:02:30Z';
  const source = await snapshotOrders(url, upTo);
  t.same(source, { upTo: '2026-12-06T10:02:30.000Z', count: 2, totalPoisha: '3000', newestNumber: source.newestNumber });
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const ids = (await c.query<{ id: string; number: number }>('SELECT id::text AS id, number FROM orders ORDER BY number')).rows;
  await c.end();
  const [first, second, third] = ids as { id: string }[];
  const report = await verifyRestoredDatabase(url, readMigrations(), {
    orders: source,
    present: [first?.id as string, second?.id as string],
    rows: { orders: 3 },
  });
  t.same(report.orders, source, 'the same orders up to the time: passes');

  // A restore that misses the newest orders, as the weekly test or a point-in-time restore sees it.
  await exec(url, `DELETE FROM orders WHERE number = ${ids[1]?.number}`);
  await t.rejects(verifyRestoredDatabase(url, readMigrations(), { orders: source }), {
    name: 'RestoreCheckError',
    message:
      /misses orders: up to 2026-12-06T10:02:30.000Z the source held 2 orders worth 3000 poisha .* the restore holds 1 orders worth 1000 poisha/,
  });
  await t.rejects(verifyRestoredDatabase(url, readMigrations(), { present: [second?.id as string] }), {
    message: /misses orders it must hold/,
  });
  await t.rejects(verifyRestoredDatabase(url, readMigrations(), { absent: [third?.id as string] }), { message: /after its target/ });
  await t.rejects(verifyRestoredDatabase(url, readMigrations(), { rows: { orders: 3 } }), {
    message: /table orders: the source held 3 rows, the restore holds 2/,
  });
  await t.rejects(verifyRestoredDatabase(url, readMigrations(), { newestOrderAtMost: upTo }), {
    message: /holds an order from 2026-12-06T10:03:00.000Z/,
  });
  t.same((await verifyRestoredDatabase(url, readMigrations(), { newestOrderAtMost: '2026-12-06T10:03:00Z' })).rows.orders, 2);
});

const crdFile = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  '.cache',
  'charts',
  'crds',
  'cloudnative-pg',
  'postgresql.cnpg.io_clusters.yaml',
);
t.test(
  'the restore Cluster is valid for CloudNativePG (its CRD schema, unknown fields refused)',
  { skip: !existsSync(crdFile) && 'CRDs not installed: make setup' },
  async (t) => {
    const crd = parse(readFileSync(crdFile, 'utf8'));
    const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1');
    // CRD schemas allow unknown fields unless told otherwise; the API server prunes them
    // silently, so a typo would be lost without an error. Refuse them here.
    const strict = (s: unknown): unknown => {
      if (Array.isArray(s)) return s.map(strict);
      if (!s || typeof s !== 'object') return s;
      const schema = s as Record<string, unknown>;
      const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
      if (schema.properties && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties === undefined) {
        out.additionalProperties = false;
      }
      return out;
    };
    const validate = new Ajv({ strict: false, allErrors: true }).compile(strict(version.schema.openAPIV3Schema) as object);
    const options = {
      namespace: 'dhakacart',
      sourceCluster: 'dhakacart-db',
      objectStore: 'dhakacart-backups',
      serverName: 'dhakacart-db',
      maxDataLossSeconds: 300,
      appSecret: 'dhakacart-db-app',
      database: 'app',
      owner: 'app',
      storageSize: '10Gi',
      readyTimeoutMs: 1,
      pollMs: 1,
    };
    const manifest = restoreClusterManifest(options, {
      imageName: 'ghcr.io/cloudnative-pg/postgresql:18.4-minimal-trixie',
      storageClass: 'local-path',
    });
    t.ok(validate(manifest), JSON.stringify(validate.errors));
    t.equal(manifest.metadata.name, 'dhakacart-db-restore-test');
    t.equal(
      manifest.spec.externalClusters[0]?.plugin.parameters.serverName,
      'dhakacart-db',
      'restores the production server from its object store',
    );
    const typo = structuredClone(manifest);
    (typo.spec.bootstrap.recovery as Record<string, unknown>).sourc = 'origin';
    t.notOk(validate(typo), 'control: a misspelt field is refused');
  },
);

t.test('the CronJob entry point refuses a bad environment by name, never printing a secret', async (t) => {
  const cli = join(import.meta.dirname, '..', '..', 'src', 'ops', 'restore-test-cli.ts');
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli], {
    env: { PATH: process.env.PATH, DATABASE_URL: 'postgresql://app:s3cret-value@db/app', RESTORE_STORAGE_SIZE: 'lots' },
    encoding: 'utf8',
  });
  t.equal(result.status, 1);
  const line = JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
  t.equal(line.msg, 'restore test failed');
  for (const name of ['RESTORE_SOURCE_CLUSTER', 'RESTORE_OBJECT_STORE', 'RESTORE_APP_SECRET', 'RESTORE_STORAGE_SIZE'])
    t.match(line.error, name);
  t.notMatch(result.stdout + result.stderr, /s3cret-value/, 'the database password is not printed');
});
