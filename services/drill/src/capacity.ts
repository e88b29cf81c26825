/**
 * `make bench-capacity`: the shopper mix at rising arrival rates against the
 * local stack with one API process, then with three, to find the highest rate
 * held with p99 < 300 ms and no failed request. Per step it records what the
 * capacity plan needs: requests/s, p99, API CPU per request (→ requests/s per
 * core), PostgreSQL CPU per order, and the catalog cache hit rate.
 * Results: .cache/capacity/result.json and a table; docs/capacity.md explains them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childPids } from '@dhakacart/devstack';
import { makeAccounts } from './accounts.js';
import { runK6 } from './k6.js';
import { startLocalTarget } from './targets/local.js';

const root = join(import.meta.dirname, '..', '..', '..');
const out = join(root, '.cache', 'capacity');
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

/** CPU seconds a process (and, with `children`, its direct children) has used. */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone
    }
  }
  return ticks / TICKS;
}

async function cacheCounts(urls: string[]) {
  let hit = 0;
  let miss = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const m of text.matchAll(/^dhakacart_cache_requests_total\{([^}]*)\} (\d+(?:\.\d+)?)$/gm)) {
      // A request is a hit when either layer answered it: count local hits and Redis hits as hits,
      // and only Redis misses (which went to PostgreSQL) as misses.
      const labels = m[1] ?? '';
      const value = Number(m[2]);
      if (labels.includes('result="hit"')) hit += value;
      else if (labels.includes('layer="redis"')) miss += value;
    }
  }
  return { hit, miss };
}

interface Step {
  apis: number;
  sessionsPerSecond: number;
  requestsPerSecond: number;
  p99Ms: number;
  failed: number;
  orders: number;
  apiCpuSecondsPerRequest: number;
  requestsPerApiCoreSecond: number;
  postgresCpuMsPerOrder: number;
  postgresCpuMsPerRequest: number;
  cacheHitRate: number;
  held: boolean;
}

const STEP_SECONDS = Number(process.env.CAPACITY_STEP_SECONDS ?? 30);
const RATES = (process.env.CAPACITY_RATES ?? '4,8,12,16,24,32,48,64').split(',').map(Number);

async function measureConfiguration(apis: number): Promise<Step[]> {
  const target = await startLocalTarget({ workDir: join(root, '.cache', 'capacity', `stack-${apis}`), apis });
  const steps: Step[] = [];
  try {
    const accounts = await makeAccounts(target, 500, `capacity-${apis}`);
    const accountsFile = join(out, `accounts-${apis}.json`);
    writeFileSync(accountsFile, JSON.stringify(accounts.map((a) => ({ token: a.token }))));
    // Warm-up, not measured: JIT, the pools and the caches start cold in a fresh stack.
    await runK6({
      script: join(import.meta.dirname, 'load', 'shopper.ts'),
      csv: join(out, `warmup-${apis}.csv`),
      timeoutMs: 120_000,
      env: {
        BASE_URL: target.baseUrl,
        RATE: String(RATES[0]),
        SECONDS: '20',
        ACTIONS: '5',
        THINK_MIN_MS: '500',
        THINK_MAX_MS: '2000',
        ACCOUNTS: accountsFile,
      },
    }).done;
    for (const rate of RATES) {
      const apiPids = target.apiProcesses().map((p) => p.pid);
      const pgPids = () => [target.primaryPid(), ...childPids(target.primaryPid())];
      const urls = target.apiProcesses().map((p) => p.url);
      const cacheBefore = await cacheCounts(urls);
      const [apiBefore, pgBefore] = [cpuSeconds(apiPids), cpuSeconds(pgPids())];
      const run = runK6({
        script: join(import.meta.dirname, 'load', 'shopper.ts'),
        csv: join(out, `step-${apis}-${rate}.csv`),
        timeoutMs: (STEP_SECONDS + 120) * 1000,
        env: {
          BASE_URL: target.baseUrl,
          RATE: String(rate),
          SECONDS: String(STEP_SECONDS),
          ACTIONS: '5',
          THINK_MIN_MS: '500',
          THINK_MAX_MS: '2000',
          ACCOUNTS: accountsFile,
        },
      });
      const { samples } = await run.done;
      // Backends come and go: sample PostgreSQL's children at the end too (a lower bound otherwise).
      const [apiAfter, pgAfter] = [cpuSeconds(apiPids), cpuSeconds(pgPids())];
      const cacheAfter = await cacheCounts(urls);
      const durations = samples.filter((s) => s.metric === 'http_req_duration' && s.tags.name !== 'setup');
      const sorted = durations.map((s) => s.value).sort((a, b) => a - b);
      const p99 = sorted.length ? (sorted[Math.ceil(0.99 * sorted.length) - 1] as number) : 0;
      const failed = samples.filter((s) => s.metric === 'shopper_failed' && s.value === 1).length;
      const orders = samples.filter((s) => s.metric === 'orders_acknowledged').length;
      const span = durations.length ? (Math.max(...durations.map((s) => s.t)) - Math.min(...durations.map((s) => s.t))) / 1000 : 1;
      const apiCpu = apiAfter - apiBefore;
      const pgCpu = pgAfter - pgBefore;
      const hits = cacheAfter.hit - cacheBefore.hit;
      const misses = cacheAfter.miss - cacheBefore.miss;
      const step: Step = {
        apis,
        sessionsPerSecond: rate,
        requestsPerSecond: Math.round((durations.length / span) * 10) / 10,
        p99Ms: Math.round(p99 * 10) / 10,
        failed,
        orders,
        apiCpuSecondsPerRequest: durations.length ? apiCpu / durations.length : 0,
        requestsPerApiCoreSecond: apiCpu > 0 ? Math.round(durations.length / apiCpu) : 0,
        postgresCpuMsPerOrder: orders ? Math.round((pgCpu * 1000) / orders) : 0,
        postgresCpuMsPerRequest: durations.length ? Math.round(((pgCpu * 1000) / durations.length) * 100) / 100 : 0,
        cacheHitRate: hits + misses ? Math.round((hits / (hits + misses)) * 1000) / 1000 : 0,
        held: p99 < 300 && failed === 0,
      };
      steps.push(step);
      console.log(JSON.stringify(step));
      if (!step.held) break;
    }
  } finally {
    await target.dispose();
  }
  return steps;
}

mkdirSync(out, { recursive: true });
const results: Record<string, Step[]> = {};
for (const apis of [1, 3]) results[`apis=${apis}`] = await measureConfiguration(apis);
const summary = Object.fromEntries(
  Object.entries(results).map(([k, steps]) => {
    const best = steps.filter((s) => s.held).at(-1);
    return [k, best ? { sessionsPerSecond: best.sessionsPerSecond, requestsPerSecond: best.requestsPerSecond, p99Ms: best.p99Ms } : null];
  }),
);
writeFileSync(
  join(out, 'result.json'),
  JSON.stringify({ measuredAt: new Date().toISOString(), stepSeconds: STEP_SECONDS, results, summary }, null, 2),
);
console.log(`\nhighest rate held (p99 < 300 ms, 0 failed): ${JSON.stringify(summary)}`);
console.log(`details: ${join(out, 'result.json')}`);
