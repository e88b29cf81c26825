/**
 * `make db-restore TIME=...`, `make db-restore-clean`, `make db-restore-status`
 * (ansible/backup.mk): a point-in-time copy of the database beside production
 * on the cluster KUBECONFIG points at. helm and kubectl from PATH, or HELM /
 * KUBECTL (make setup's helm is .cache/charts/bin/helm).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type DbRestoreOptions, dbRestore, dbRestoreClean, execRun, nextSteps, releaseValues } from './db-restore.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    time: { type: 'string', default: '' },
    namespace: { type: 'string', default: 'dhakacart' },
    release: { type: 'string', default: 'dhakacart-data' },
    'app-release': { type: 'string', default: 'dhakacart' },
    chart: { type: 'string', default: 'charts/dhakacart-data' },
    'timeout-minutes': { type: 'string', default: '45' },
  },
});
const repoHelm = join(import.meta.dirname, '..', '..', '..', '..', '.cache', 'charts', 'bin', 'helm');
const o: DbRestoreOptions = {
  namespace: values.namespace,
  release: values.release,
  chart: values.chart,
  time: values.time,
  helm: process.env.HELM ?? (existsSync(repoHelm) ? repoHelm : 'helm'),
  kubectl: process.env.KUBECTL ?? 'kubectl',
  readyTimeoutMs: Number(values['timeout-minutes']) * 60_000,
  pollMs: 5_000,
};
const log = (msg: string) => console.log(`db-restore: ${msg}`);

try {
  const command = positionals[0];
  if (command === 'restore') {
    const result = await dbRestore(o, execRun, log);
    const { postgres } = await releaseValues(o, execRun);
    log(`done: ${result.cluster} restored in ${result.restoreSeconds} s`);
    for (const line of nextSteps(o, postgres.clusterName, result.cluster, values['app-release'])) console.log(line);
  } else if (command === 'clean') {
    await dbRestoreClean(o, execRun, log, values['app-release']);
  } else if (command === 'status') {
    const { postgres } = await releaseValues(o, execRun);
    const copy = postgres.pitr?.clusterName ?? `${postgres.clusterName}-pitr`;
    const r = await execRun(o.kubectl, ['get', 'cluster', postgres.clusterName, copy, '-n', o.namespace, '-o', 'wide']);
    console.log(r.stdout || r.stderr);
    const app = await execRun(o.helm, ['get', 'values', values['app-release'], '-n', o.namespace, '--all', '-o', 'json']);
    if (app.code === 0) log(`the app runs on ${JSON.parse(app.stdout)?.database?.clusterName}`);
  } else {
    console.error('usage: db-restore-cli.ts restore --time <RFC 3339>|latest | clean | status [--namespace N] [--release R] [--chart DIR]');
    process.exit(2);
  }
} catch (error) {
  console.error(`db-restore failed: ${(error as Error).message}`);
  process.exit(1);
}
