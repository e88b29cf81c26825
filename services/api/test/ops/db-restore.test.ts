/**
 * make db-restore's decisions without a cluster: the target time it accepts,
 * the helm upgrade it runs (the release's own values kept, the copy switched
 * on), what it refuses, and how the copy is judged against production. The
 * whole run against the local Kubernetes is in docs/runbooks/backup-restore.md.
 */
import t from 'tap';
import {
  compareWithProduction,
  type DbRestoreOptions,
  dbRestore,
  dbRestoreClean,
  enableArgs,
  nextSteps,
  type Run,
  targetTime,
} from '../../src/ops/db-restore.js';

const o: DbRestoreOptions = {
  namespace: 'dhakacart',
  release: 'dhakacart-data',
  chart: 'charts/dhakacart-data',
  time: '2026-12-06T10:15:00+06:00',
  helm: 'helm',
  kubectl: 'kubectl',
  readyTimeoutMs: 50,
  pollMs: 1,
};

/** A pretend helm/kubectl: answers by the first words of the command, records every call. */
function fake(answers: Record<string, { code?: number; stdout?: string }>) {
  const calls: string[] = [];
  const run: Run = async (cmd, args) => {
    const line = `${cmd} ${args.join(' ')}`;
    calls.push(line);
    const key = Object.keys(answers).find((k) => line.startsWith(k));
    const a = key ? answers[key] : undefined;
    return { code: a?.code ?? (a ? 0 : 1), stdout: a?.stdout ?? '', stderr: a ? '' : `no answer for ${line}` };
  };
  return { run, calls };
}

const values = (pitrEnabled = false) =>
  JSON.stringify({
    postgres: {
      clusterName: 'dhakacart-db',
      database: 'app',
      backup: { enabled: true, serverName: '' },
      pitr: { enabled: pitrEnabled, clusterName: 'dhakacart-db-pitr' },
    },
  });

t.test('the target time: RFC 3339 with an offset, or latest', async (t) => {
  t.equal(targetTime('2026-12-06T10:15:00+06:00'), '2026-12-06T10:15:00+06:00');
  t.equal(targetTime('2026-12-06 04:15:00.5Z'), '2026-12-06T04:15:00.5Z');
  t.equal(targetTime('latest'), '', 'the end of the archive');
  t.throws(() => targetTime('2026-12-06T10:15:00'), /with its offset/, 'no offset: which 10:15?');
  t.throws(() => targetTime('yesterday'), /with its offset/);
});

t.test('the copy is switched on in the installed release, its values kept', async (t) => {
  t.same(enableArgs(o), [
    'upgrade',
    'dhakacart-data',
    'charts/dhakacart-data',
    '-n',
    'dhakacart',
    '--reset-then-reuse-values',
    '--set',
    'postgres.pitr.enabled=true',
    '--set-string',
    'postgres.pitr.targetTime=2026-12-06T10:15:00+06:00',
  ]);
  t.match(enableArgs({ ...o, time: 'latest' }).at(-1), /^postgres\.pitr\.targetTime=$/);
});

t.test('refusals come before anything changes', async (t) => {
  const on = fake({ 'helm get values': { stdout: values(true) } });
  await t.rejects(
    dbRestore(o, on.run, () => {}),
    /already switched on/,
  );
  const kept = fake({ 'helm get values': { stdout: values() }, 'kubectl get cluster dhakacart-db-pitr': { code: 0 } });
  await t.rejects(
    dbRestore(o, kept.run, () => {}),
    /already exists/,
  );
  const noBackups = fake({ 'helm get values': { stdout: values().replace('"enabled":true', '"enabled":false') } });
  await t.rejects(
    dbRestore(o, noBackups.run, () => {}),
    /no backups/,
  );
  for (const f of [on, kept, noBackups])
    t.notOk(
      f.calls.some((c) => c.startsWith('helm upgrade')),
      'no helm upgrade ran',
    );
});

t.test('a copy that never gets healthy fails with where to look', async (t) => {
  const f = fake({
    'helm get values': { stdout: values() },
    'helm upgrade dhakacart-data': { code: 0 },
    'kubectl get cluster dhakacart-db-pitr -n dhakacart -o json': {
      stdout: JSON.stringify({ spec: { instances: 3 }, status: { phase: 'Setting up primary', readyInstances: 0 } }),
    },
  });
  const log: string[] = [];
  await t.rejects(
    dbRestore(o, f.run, (m) => log.push(m)),
    /not healthy after .* logs -l cnpg.io\/cluster=dhakacart-db-pitr/,
  );
  t.ok(f.calls.some((c) => c.startsWith('helm upgrade dhakacart-data charts/dhakacart-data -n dhakacart --reset-then-reuse-values')));
  t.match(log.join('\n'), /Setting up primary/);
});

t.test('the copy against production at the target', async (t) => {
  const snap = (count: number, total: string) => ({ upTo: '2026-12-06T04:15:00.000Z', count, totalPoisha: total, newestNumber: count });
  t.match(compareWithProduction(snap(10, '500'), snap(10, '500')), /match production/);
  t.match(compareWithProduction(snap(10, '500'), snap(7, '350')), /3 orders up to the target that production no longer has/);
  t.throws(() => compareWithProduction(snap(9, '450'), snap(10, '500')), { name: 'RestoreCheckError', message: /misses orders/ });
});

t.test('clean-up is refused while the app runs on the copy', async (t) => {
  const f = fake({
    'helm get values dhakacart-data': { stdout: values(true) },
    'helm get values dhakacart ': { stdout: JSON.stringify({ database: { clusterName: 'dhakacart-db-pitr' } }) },
  });
  await t.rejects(
    dbRestoreClean(o, f.run, () => {}),
    /runs on dhakacart-db-pitr: switch it back first/,
  );
  t.notOk(
    f.calls.some((c) => c.includes('delete')),
    'nothing deleted',
  );
  const ok = fake({
    'helm get values dhakacart-data': { stdout: values(true) },
    'helm get values dhakacart ': { stdout: JSON.stringify({ database: { clusterName: 'dhakacart-db' } }) },
    'helm upgrade': { code: 0 },
    'kubectl delete cluster dhakacart-db-pitr': { code: 0 },
  });
  await dbRestoreClean(o, ok.run, () => {});
  t.ok(
    ok.calls.some((c) => c.includes('--set postgres.pitr.enabled=false')) &&
      ok.calls.some((c) => c.startsWith('kubectl delete cluster dhakacart-db-pitr')),
  );
  t.match(
    nextSteps(o, 'dhakacart-db', 'dhakacart-db-pitr').join('\n'),
    /--set database.clusterName=dhakacart-db-pitr --wait[\s\S]*--set database.clusterName=dhakacart-db --wait/,
  );
});
