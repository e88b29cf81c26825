/**
 * The data chart's recovery modes (docs/runbooks/backup-restore.md), as rendered:
 *   - postgres.pitr: a second Cluster beside production, bootstrapped from
 *     production's backups to a time, archiving under a serverName of its own,
 *     with its own base backup, NetworkPolicies and PodMonitor, while production
 *     is rendered exactly as before;
 *   - postgres.bootstrap.mode recovery: production itself restored (total loss).
 * And why a recovery is refused. charts/tests/run.sh renders the same profiles
 * through the CRD schemas (strict), the network checks and checkov.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parseAllDocuments } from 'yaml';

const exec = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..', '..');
const helm = join(repo, '.cache', 'charts', 'bin', 'helm');
const chart = join(repo, 'charts', 'dhakacart-data');
const lab = ['-f', join(chart, 'values-lab.yaml'), '-f', join(repo, 'charts', 'tests', 'values', 'digests-data.yaml')];

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects
type Obj = Record<string, any>;
async function render(args: string[]): Promise<Obj[]> {
  const { stdout } = await exec(helm, ['template', 'dhakacart-data', chart, '-n', 'dhakacart', ...lab, ...args], { maxBuffer: 32 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((d) => d.toJS())
    .filter(Boolean);
}
async function refusal(args: string[]): Promise<string> {
  try {
    await render(args);
    return '';
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
}
const find = (objs: Obj[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const TIME = '2026-12-06T10:15:00+06:00';

t.test('recovery modes render as CloudNativePG and the plugin expect', { skip: !existsSync(helm) && 'helm not installed: make setup' }, async (t) => {
  const plain = await render([]);
  const withCopy = await render(['--set', 'postgres.pitr.enabled=true', '--set-string', `postgres.pitr.targetTime=${TIME}`]);

  const prod = find(withCopy, 'Cluster', 'dhakacart-db');
  t.same(prod, find(plain, 'Cluster', 'dhakacart-db'), 'production is rendered exactly as without the copy');
  t.same(prod?.spec.bootstrap, { initdb: { database: 'app', owner: 'app' } });
  t.same(prod?.spec.plugins[0].parameters, { barmanObjectName: 'dhakacart-backups', serverName: 'dhakacart-db' }, 'production archives under its own name');

  const copy = find(withCopy, 'Cluster', 'dhakacart-db-pitr');
  t.ok(copy, 'the copy: Cluster dhakacart-db-pitr');
  t.same(copy?.spec.bootstrap, { recovery: { source: 'origin', database: 'app', owner: 'app', recoveryTarget: { targetTime: TIME } } });
  t.same(copy?.spec.externalClusters, [
    { name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'dhakacart-backups', serverName: 'dhakacart-db' } } },
  ]);
  t.same(copy?.spec.plugins, [
    {
      name: 'barman-cloud.cloudnative-pg.io',
      isWALArchiver: true,
      parameters: { barmanObjectName: 'dhakacart-backups', serverName: 'dhakacart-db-pitr' },
    },
  ]);
  t.not(copy?.spec.plugins[0].parameters.serverName, copy?.spec.externalClusters[0].plugin.parameters.serverName, 'its new timeline goes elsewhere');
  t.equal(copy?.spec.instances, prod?.spec.instances, 'as many instances as production (it can take over)');
  t.same(copy?.spec.postgresql, prod?.spec.postgresql, 'the same PostgreSQL settings and synchronous quorum');
  t.equal(copy?.metadata.annotations['helm.sh/resource-policy'], 'keep', 'switching the copy off never deletes it');
  t.equal(copy?.metadata.annotations['dhakacart.io/restored-from'], `dhakacart-db@${TIME}`);

  const backup = find(withCopy, 'ScheduledBackup', 'dhakacart-db-pitr-daily');
  t.same([backup?.spec.cluster.name, backup?.spec.immediate, backup?.spec.method], ['dhakacart-db-pitr', true, 'plugin'], 'its own base backup at once');
  for (const name of ['dhakacart-db-pitr', 'dhakacart-db-pitr-jobs']) {
    const np = find(withCopy, 'NetworkPolicy', name);
    t.equal(np?.spec.podSelector.matchLabels['cnpg.io/cluster'], 'dhakacart-db-pitr', `NetworkPolicy ${name} selects the copy`);
  }
  t.same(
    find(withCopy, 'NetworkPolicy', 'dhakacart-db-pitr')?.spec.ingress[0].from,
    [{ podSelector: { matchLabels: { 'dhakacart.io/db-client': 'true' } } }],
    'the app (db-client pods) may reach the copy, so it can be switched to',
  );
  t.ok(find(withCopy, 'PodMonitor', 'dhakacart-db-pitr'), 'the copy is monitored too (WAL archiving alerts)');
  t.equal(withCopy.filter((o) => o.kind === 'ObjectStore').length, 1, 'one ObjectStore for both');

  const latest = find(await render(['--set', 'postgres.pitr.enabled=true']), 'Cluster', 'dhakacart-db-pitr');
  t.notOk(latest?.spec.bootstrap.recovery.recoveryTarget, 'no target time: to the end of the archive');

  const total = find(await render(['--set', 'postgres.bootstrap.mode=recovery', '--set', 'postgres.backup.serverName=dhakacart-db-r2']), 'Cluster', 'dhakacart-db');
  t.equal(total?.spec.externalClusters[0].plugin.parameters.serverName, 'dhakacart-db', 'total loss: production restored from its old archive');
  t.equal(total?.spec.plugins[0].parameters.serverName, 'dhakacart-db-r2', 'and archiving under the new name');
  const runner = find(await render(['--set', 'postgres.backup.serverName=dhakacart-db-r2']), 'CronJob', 'dhakacart-db-restore-test');
  const env = Object.fromEntries(
    runner?.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  t.equal(env.RESTORE_SERVER_NAME, 'dhakacart-db-r2', 'the weekly restore test restores what production archives now');
  t.equal(env.RESTORE_MAX_DATA_LOSS_SECONDS, '300', 'and holds it to the RPO target');
  t.equal(prod?.spec.postgresql.parameters.archive_timeout, '2min', 'a WAL segment reaches the store at least every 2 minutes');
});

t.test('the app switched to the copy reaches it, and only it', { skip: !existsSync(helm) && 'helm not installed: make setup' }, async (t) => {
  const { stdout } = await exec(
    helm,
    ['template', 'dhakacart', join(repo, 'charts', 'dhakacart'), '-n', 'dhakacart', '-f', join(repo, 'charts', 'dhakacart', 'values-lab.yaml'), '-f', join(repo, 'charts', 'tests', 'values', 'digests.yaml'), '--set', 'database.clusterName=dhakacart-db-pitr'],
    { maxBuffer: 32 * 1024 * 1024 },
  );
  const app: Obj[] = parseAllDocuments(stdout)
    .map((d) => d.toJS())
    .filter(Boolean);
  const api = app.find((o) => o.kind === 'Deployment' && o.metadata.labels['app.kubernetes.io/component'] === 'api');
  t.equal(api?.spec.template.metadata.labels['dhakacart.io/db-client'], 'true', 'API pods are database clients (the copy admits them)');
  const dbUrl = api?.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'DATABASE_URL' || e.name === 'DATABASE_URL_FILE');
  t.match(JSON.stringify(api?.spec.template.spec), /dhakacart-db-pitr-app/, `credentials from the copy's own Secret (${dbUrl?.name})`);
  const egress = app
    .filter((o) => o.kind === 'NetworkPolicy')
    .flatMap((o) => o.spec.egress ?? [])
    .flatMap((r: Obj) => r.to ?? [])
    .map((p: Obj) => p.podSelector?.matchLabels?.['cnpg.io/cluster'])
    .filter(Boolean);
  t.ok(egress.length > 0 && egress.every((c: string) => c === 'dhakacart-db-pitr'), `egress to the copy only (${[...new Set(egress)].join(', ')})`);
});

t.test('recoveries that would hurt are refused, with the reason', { skip: !existsSync(helm) && 'helm not installed: make setup' }, async (t) => {
  t.match(await refusal(['--set', 'postgres.bootstrap.mode=recovery']), /restored from serverName dhakacart-db and would archive its new timeline into it/);
  t.match(
    await refusal(['--set', 'postgres.pitr.enabled=true', '--set', 'postgres.pitr.serverName=dhakacart-db']),
    /dhakacart-db-pitr is restored from serverName dhakacart-db and would archive/,
  );
  t.match(await refusal(['--set', 'postgres.pitr.enabled=true', '--set', 'postgres.pitr.clusterName=dhakacart-db']), /is production's name/);
  t.match(await refusal(['--set', 'postgres.pitr.enabled=true', '--set', 'postgres.backup.enabled=false']), /needs postgres.backup.enabled/);
  t.match(await refusal(['--set', 'postgres.pitr.enabled=true', '--set-string', 'postgres.pitr.targetTime=2026-12-06T10:15:00']), /targetTime/);
  t.match(await refusal(['--set', 'postgres.backup.storeCIDR=192.168.56.0/24']), /must be one address/, 'the store is scraped at one address');
  t.equal(await refusal(['--set', 'postgres.pitr.enabled=true']), '', 'control: the copy with defaults renders');
});
