/**
 * One drill: shopper load through the target's front door, the scenario's
 * fault in the middle, then the verdict from what k6 measured and what the
 * database holds afterwards.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeAccounts } from './accounts.js';
import { runK6 } from './k6.js';
import { type Check, SCENARIOS, type Scenario, type ScenarioId } from './scenarios.js';
import type { Target } from './targets/target.js';
import { checkInvariants, type Invariants, type Measured, measure, stockSnapshot } from './verdict.js';

export interface LoadProfile {
  /** Shopper sessions arriving per second (open model). */
  rate: number;
  actions: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  accounts: number;
  flashBuyers: number;
  flashUnits: number;
}

/** Small enough for `make test` on 2 cores, big enough that every fault meets live traffic. */
/** The local Kubernetes or the lab: the same mix, a little more of it, with real think time. */
export const CLUSTER_PROFILE: LoadProfile = {
  rate: 10,
  actions: 5,
  thinkMinMs: 1000,
  thinkMaxMs: 5000,
  accounts: 500,
  flashBuyers: 2000,
  flashUnits: 100,
};

export const LOCAL_PROFILE: LoadProfile = {
  rate: 8,
  actions: 4,
  thinkMinMs: 200,
  thinkMaxMs: 1000,
  accounts: 300,
  flashBuyers: 2000,
  flashUnits: 100,
};

export interface DrillResult {
  scenario: Scenario;
  target: string;
  faultDescription: string;
  startedAt: Date;
  fault: { start: number; end: number; startSecond: number; endSecond: number };
  measured: Measured;
  invariants: Invariants;
  checks: Check[];
  pass: boolean;
  k6Output: string;
}

const script = join(import.meta.dirname, 'load', 'shopper.ts');

export async function runDrill(
  target: Target,
  id: ScenarioId,
  profile: LoadProfile,
  outDir: string,
  log = console.log,
): Promise<DrillResult> {
  const scenario = SCENARIOS[id];
  mkdirSync(outDir, { recursive: true });
  const flash = id === 'flash-sale';
  const accounts = await makeAccounts(target, flash ? profile.flashBuyers : profile.accounts, id);
  const accountsFile = join(outDir, `${id}-accounts.json`);
  await (await import('node:fs/promises')).writeFile(accountsFile, JSON.stringify(accounts.map((a) => ({ token: a.token }))));

  let flashProduct = 0;
  if (flash) {
    const [row] = await target.sql<{ id: number }>(
      `INSERT INTO products (sku, slug, name, brand, category_id, price_poisha, stock, images)
       VALUES ($1, lower($1), 'Eid Flash Deal Phone ' || $1, 'Walton', (SELECT id FROM categories WHERE slug = 'smartphones'), 1299900, $2, '{}')
       RETURNING id`,
      [`FLASH-${Date.now()}`, profile.flashUnits],
    );
    flashProduct = row?.id as number;
  }
  const before = await stockSnapshot(target);
  const [{ now: since } = { now: new Date() }] = await target.sql<{ now: Date }>('SELECT now()');

  const seconds = flash ? 120 : scenario.before + 90 + scenario.after;
  const startedAt = new Date();
  log(`  ${id}: load for up to ${seconds} s, fault after ${scenario.before} s`);
  const k6 = runK6({
    script,
    csv: join(outDir, `${id}.csv`),
    timeoutMs: (seconds + 90) * 1000,
    env: {
      ...target.k6Env,
      BASE_URL: target.baseUrl,
      MODE: flash ? 'flash' : 'shoppers',
      RATE: String(profile.rate),
      SECONDS: String(seconds),
      ACTIONS: String(profile.actions),
      THINK_MIN_MS: String(profile.thinkMinMs),
      THINK_MAX_MS: String(profile.thinkMaxMs),
      ACCOUNTS: accountsFile,
      FLASH_PRODUCT: String(flashProduct),
      FLASH_BUYERS: String(profile.flashBuyers),
    },
  });

  let faultDescription = scenario.fault;
  let faultStart = Date.now();
  let faultEnd = faultStart;

  if (scenario.inject) {
    await new Promise((r) => setTimeout(r, scenario.before * 1000));
    faultStart = Date.now();
    const done = scenario.inject(target.faults);
    if (!done) throw new Error(`target ${target.name} cannot inject ${id}`);
    faultDescription = await done;
    faultEnd = Date.now();
    log(`  ${id}: ${faultDescription}`);
    // The load runs on for `after` seconds past the fault's end, then stops.
    await new Promise((r) => setTimeout(r, scenario.after * 1000));
    k6.stop();
  }
  const k6Result = await k6.done;
  const samples = k6Result.samples;
  const measured = measure(samples, { start: faultStart, end: faultEnd });
  await target.recover?.();
  const invariants = await checkInvariants(target, samples, before, since);
  const checks = scenario.evaluate(measured, invariants, target);
  if (flash) {
    const [sold] = await target.sql<{ sold: string; stock: number }>(
      `SELECT coalesce((SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                        WHERE i.product_id = $1 AND o.status = 'paid'), 0)::text AS sold,
              (SELECT stock FROM products WHERE id = $1) AS stock`,
      [flashProduct],
    );
    checks.unshift({
      what: `sold exactly the ${profile.flashUnits} units, to ${profile.flashBuyers} buyers`,
      pass: Number(sold?.sold) === profile.flashUnits && sold?.stock === 0,
      measured: `${sold?.sold} sold, ${sold?.stock} left`,
    });
  }
  if (k6Result.exitCode !== 0 && k6Result.samples.length === 0) {
    checks.unshift({ what: 'the load ran', pass: false, measured: k6Result.output.slice(-500) });
  }
  const t0 = Math.min(...samples.filter((s) => s.metric === 'http_req_duration').map((s) => s.t));
  return {
    scenario,
    target: target.name,
    faultDescription,
    startedAt,
    fault: {
      start: faultStart,
      end: faultEnd,
      startSecond: Math.max(0, (faultStart - t0) / 1000),
      endSecond: Math.max(0, (faultEnd - t0) / 1000),
    },
    measured,
    invariants,
    checks,
    pass: checks.every((c) => c.pass),
    k6Output: k6Result.output,
  };
}
