/** `node dist/ops/restore-test-cli.js`: the restore-test CronJob (charts/dhakacart-data). Exit 1 = the restore test failed. */
import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { loadEnv } from '../config.js';
import { inClusterKube, runRestoreTest } from './restore-test.js';

const RestoreTestConfig = Type.Object({
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  RESTORE_SOURCE_CLUSTER: Type.String({ minLength: 1 }),
  RESTORE_OBJECT_STORE: Type.String({ minLength: 1 }),
  // The source's folder in the object store; empty: RESTORE_SOURCE_CLUSTER.
  RESTORE_SERVER_NAME: Type.String({ default: '' }),
  RESTORE_APP_SECRET: Type.String({ minLength: 1 }),
  RESTORE_DATABASE: Type.String({ minLength: 1, default: 'app' }),
  RESTORE_OWNER: Type.String({ minLength: 1, default: 'app' }),
  RESTORE_STORAGE_SIZE: Type.String({ pattern: '^[0-9]+(Mi|Gi|Ti)$', default: '10Gi' }),
  RESTORE_READY_TIMEOUT_SECONDS: Type.Integer({ minimum: 60, default: 3600 }),
  RESTORE_MAX_DATA_LOSS_SECONDS: Type.Integer({ minimum: 60, default: 300 }),
});

const log = (msg: string, extra: object = {}, level = 'info') => console.log(JSON.stringify({ level, msg, ...extra }));

try {
  const c = loadEnv(RestoreTestConfig, process.env, ['DATABASE_URL']);
  await runRestoreTest(
    inClusterKube(),
    {
      namespace: readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim(),
      sourceCluster: c.RESTORE_SOURCE_CLUSTER,
      objectStore: c.RESTORE_OBJECT_STORE,
      serverName: c.RESTORE_SERVER_NAME || c.RESTORE_SOURCE_CLUSTER,
      appSecret: c.RESTORE_APP_SECRET,
      database: c.RESTORE_DATABASE,
      owner: c.RESTORE_OWNER,
      storageSize: c.RESTORE_STORAGE_SIZE,
      readyTimeoutMs: c.RESTORE_READY_TIMEOUT_SECONDS * 1000,
      pollMs: 10_000,
      maxDataLossSeconds: c.RESTORE_MAX_DATA_LOSS_SECONDS,
    },
    c.DATABASE_URL,
    log,
  );
} catch (error) {
  log('restore test failed', { error: (error as Error).message }, 'error');
  process.exit(1);
}
