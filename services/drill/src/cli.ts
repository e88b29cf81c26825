/**
 * `make drill SCENARIO=… TARGET=…`, `make drill-local`, `make drill-k8s`:
 *   node --import tsx services/drill/src/cli.ts --target local [--scenario kill-api,...|all] [--out dir]
 * Prints a verdict per drill, writes the Markdown report and its charts under
 * .cache/drill/ (git-ignored), and exits 1 when any drill missed its SLO.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CLUSTER_PROFILE, type DrillResult, LOCAL_PROFILE, runDrill } from './drill.js';
import { ensureK6 } from './k6.js';
import { chartSvg, markdown } from './report.js';
import { SCENARIOS, type ScenarioId } from './scenarios.js';
import { startKubeTarget } from './targets/kube.js';
import { labAccess, localClusterAccess, type Provider } from './targets/lab.js';
import { startLocalTarget } from './targets/local.js';
import type { Target } from './targets/target.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Per target, the drills it can run, in an order that leaves the stack usable for the next. */
const PLANS: Record<string, ScenarioId[]> = {
  local: ['kill-api', 'rolling-restart', 'redis-down', 'flash-sale', 'db-failover'],
  k8s: ['kill-api', 'rolling-restart', 'redis-down', 'drain-node', 'flash-sale', 'db-failover', 'node-off'],
  lab: ['kill-api', 'rolling-restart', 'redis-down', 'drain-node', 'flash-sale', 'db-failover', 'node-off', 'network-cut', 'disk-full'],
};

/** The lab's provider and ingress address, from the one settings file the Vagrantfile reads too. */
function labSettings() {
  const text = readFileSync(join(root, 'vagrant', 'settings.yml'), 'utf8');
  const value = (key: string) => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(text)?.[1];
  const provider = (process.env.DC_PROVIDER ?? value('provider')) as Provider;
  return { provider, ingressIp: value('ingress_ip') as string };
}

async function startTarget(name: string): Promise<Target> {
  if (name === 'local') return startLocalTarget({ workDir: join(root, '.cache', 'drill', 'local-stack') });
  if (name === 'k8s') return startKubeTarget(localClusterAccess());
  return startKubeTarget(labAccess(labSettings()));
}

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'local' },
      scenario: { type: 'string', default: 'all' },
      out: { type: 'string' },
    },
  });
  const targetName = values.target as string;
  const plan = PLANS[targetName];
  if (!plan) throw new Error(`unknown target ${targetName}: one of ${Object.keys(PLANS).join(', ')}`);
  const wanted = values.scenario === 'all' ? plan : (values.scenario as string).split(',').map((s) => s.trim());
  for (const id of wanted) {
    if (!(id in SCENARIOS)) throw new Error(`unknown scenario ${id}: one of ${Object.keys(SCENARIOS).join(', ')}`);
    if (!plan.includes(id as ScenarioId)) throw new Error(`scenario ${id} does not run on target ${targetName}`);
  }
  const scenarios = plan.filter((id) => wanted.includes(id));
  const out = values.out ?? join(root, '.cache', 'drill', `report-${targetName}`);
  mkdirSync(out, { recursive: true });
  ensureK6((line) => console.log(line));

  console.log(`drill: target ${targetName}, scenarios ${scenarios.join(', ')}`);
  const started = Date.now();
  let target: Target | undefined;
  const results: DrillResult[] = [];
  try {
    target = await startTarget(targetName);
    console.log(`drill: stack up in ${((Date.now() - started) / 1000).toFixed(0)} s (${target.baseUrl})`);
    for (const id of scenarios) {
      const result = await runDrill(target, id, targetName === 'local' ? LOCAL_PROFILE : CLUSTER_PROFILE, join(out, 'data'));
      results.push(result);
      console.log(`${result.pass ? 'PASS' : 'FAIL'} ${id}: ${result.scenario.slo}`);
      for (const c of result.checks) console.log(`    ${c.pass ? 'ok    ' : 'MISSED'} ${c.what}: ${c.measured}`);
      writeFileSync(join(out, `${id}.svg`), chartSvg(result));
    }
  } finally {
    await target?.dispose();
  }
  const notes =
    targetName === 'local'
      ? [
          'The local target is a rehearsal on one machine: HAProxy stands in for the Service and ingress, three API processes for the pods, ' +
            'a PostgreSQL primary with a synchronous standby and a promotion step for CloudNativePG, and Redis. Load: k6, open model.',
        ]
      : [];
  writeFileSync(
    join(out, 'README.md'),
    markdown(results, (r) => `${r.scenario.id}.svg`, notes),
  );
  const passed = results.filter((r) => r.pass).length;
  console.log(`\nreport: ${relative(process.cwd(), join(out, 'README.md'))} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`${passed} passed, ${results.length - passed} failed`);
  process.exit(passed === results.length && results.length > 0 ? 0 : 1);
}

await main();
