/** `node dist/ops/restore-test-cli.js`: the restore-test CronJob (charts/dhakacart). Exit 1 = the restore test failed. */
import { readFileSync } from 'node:fs';
import { requireSecret } from '../config.js';
import { inClusterKube, runRestoreTest } from './restore-test.js';

const log = (msg: string, extra: object = {}, level = 'info') => console.log(JSON.stringify({ level, msg, ...extra }));
const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};

try {
  await runRestoreTest(
    inClusterKube(),
    {
      namespace: readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim(),
      sourceCluster: env('RESTORE_SOURCE_CLUSTER'),
      objectStore: env('RESTORE_OBJECT_STORE'),
      appSecret: env('RESTORE_APP_SECRET'),
      database: env('RESTORE_DATABASE', 'app'),
      owner: env('RESTORE_OWNER', 'app'),
      storageSize: env('RESTORE_STORAGE_SIZE', '10Gi'),
      readyTimeoutMs: Number(env('RESTORE_READY_TIMEOUT_SECONDS', '3600')) * 1000,
      pollMs: 10_000,
    },
    requireSecret('DATABASE_URL'),
    log,
  );
} catch (error) {
  log('restore test failed', { error: (error as Error).message }, 'error');
  process.exit(1);
}
