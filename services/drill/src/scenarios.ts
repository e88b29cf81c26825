/**
 * The drills: each is shopper load with one fault in the middle, and a
 * service-level objective the verdict is held to. SLOs differ by target where
 * the platform promises differ (DESIGN.md §2 and the drills runbook).
 */

import type { Faults, Target } from './targets/target.js';
import type { Invariants, Measured } from './verdict.js';
import { READS } from './verdict.js';

export type ScenarioId =
  | 'kill-api'
  | 'rolling-restart'
  | 'redis-down'
  | 'db-failover'
  | 'drain-node'
  | 'node-off'
  | 'network-cut'
  | 'disk-full'
  | 'flash-sale';

export interface Check {
  what: string;
  pass: boolean;
  measured: string;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** What the fault is, for the report (the target adds how it was done). */
  fault: string;
  slo: string;
  /** Seconds of load before the fault, and after the fault has ended. */
  before: number;
  after: number;
  /** The fault: resolves when it is over (a kill is instant; Redis comes back after 60 s). */
  inject?: (faults: Partial<Faults>) => Promise<string> | undefined;
  evaluate(m: Measured, inv: Invariants, target: Target): Check[];
}

const sum = (m: Measured, names: readonly string[]) => names.reduce((n, name) => n + (m.availability[name]?.failed ?? 0), 0);

function dataChecks(inv: Invariants): Check[] {
  return [
    { what: 'acknowledged orders lost', pass: inv.lost === 0, measured: `${inv.lost} of ${inv.acknowledged}` },
    { what: 'acknowledged orders duplicated', pass: inv.duplicated === 0, measured: String(inv.duplicated) },
    { what: 'acknowledged orders not paid', pass: inv.notPaid === 0, measured: String(inv.notPaid) },
    { what: 'products with negative stock', pass: inv.negativeStock === 0, measured: String(inv.negativeStock) },
    { what: 'paid orders without a payment reference', pass: inv.paidWithoutPayment === 0, measured: String(inv.paidWithoutPayment) },
    { what: 'stock conserved (shelves − orders)', pass: inv.stockConserved, measured: inv.stockDetail },
  ];
}

/** GETs that failed after the client's retry, as a share of all GETs. */
function failedGetsAtMost(m: Measured, percent: number): Check {
  const reads = READS.reduce((n, name) => n + (m.availability[name]?.requests ?? 0), 0);
  const failed = sum(m, READS);
  return {
    what: `failed GETs ≤ ${percent} %`,
    pass: failed <= reads * (percent / 100),
    measured: `${failed} of ${reads} (${((100 * failed) / Math.max(reads, 1)).toFixed(2)} %)`,
  };
}

/** The longest time the shop could not sell: no add to cart or checkout succeeded. */
const writesBackWithin = (m: Measured, seconds: number): Check => ({
  what: `longest time without a successful write ≤ ${seconds} s`,
  pass: m.longestWriteGapSeconds <= seconds,
  measured: `${m.longestWriteGapSeconds} s`,
});

const failedReads = (m: Measured): Check => ({
  what: 'failed idempotent requests (GETs, after the client retry)',
  pass: sum(m, READS) === 0,
  measured: String(sum(m, READS)),
});

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  'kill-api': {
    id: 'kill-api',
    title: 'An API pod dies',
    fault: 'one API instance is killed without warning (SIGKILL), and replaced',
    slo: '0 failed idempotent requests; 0 acknowledged orders lost or duplicated',
    before: 10,
    after: 20,
    inject: (f) => f.killApiPod?.(),
    evaluate: (m, inv) => [failedReads(m), ...dataChecks(inv)],
  },
  'rolling-restart': {
    id: 'rolling-restart',
    title: 'Every API pod restarts in turn (a deploy)',
    fault: 'each API instance gets SIGTERM and is replaced, one at a time',
    slo: '0 failed requests; 0 acknowledged orders lost or duplicated',
    before: 10,
    after: 10,
    inject: (f) => f.rollingRestart?.(),
    evaluate: (m, inv) => [
      failedReads(m),
      {
        what: 'failed writes (after client retries)',
        pass: sum(m, ['add', 'checkout']) === 0,
        measured: String(sum(m, ['add', 'checkout'])),
      },
      ...dataChecks(inv),
    ],
  },
  'redis-down': {
    id: 'redis-down',
    title: 'Redis is down for 60 s',
    fault: 'the cache and rate-limit store stops for 60 s, then comes back empty',
    slo: '0 5xx while Redis is down (the shop keeps selling from PostgreSQL)',
    before: 10,
    after: 10,
    inject: (f) => f.redisDown?.(60),
    evaluate: (m, inv) => [
      { what: '5xx or unanswered requests', pass: m.rawFailures.total === 0, measured: String(m.rawFailures.total) },
      ...dataChecks(inv),
    ],
  },
  'db-failover': {
    id: 'db-failover',
    title: 'The database primary dies',
    fault: 'the PostgreSQL primary is killed (SIGKILL); the synchronous standby is promoted',
    slo: 'writes back within 15 s (local) / 30 s (k8s); 0 acknowledged orders lost or duplicated',
    before: 10,
    after: 20,
    inject: (f) => f.killDatabasePrimary?.(),
    evaluate: (m, inv, target) => [writesBackWithin(m, target.name === 'local' ? 15 : 30), ...dataChecks(inv)],
  },
  'drain-node': {
    id: 'drain-node',
    title: 'A node is drained for maintenance',
    fault: 'kubectl drain of a node (cordon, evictions that respect the PodDisruptionBudgets)',
    slo: '0 failed requests',
    before: 10,
    after: 20,
    inject: (f) => f.drainNode?.(),
    evaluate: (m, inv) => [
      {
        what: 'failed requests (after client retries)',
        pass: Object.values(m.availability).every((a) => a.failed === 0),
        measured: String(Object.values(m.availability).reduce((n, a) => n + a.failed, 0)),
      },
      ...dataChecks(inv),
    ],
  },
  'node-off': {
    id: 'node-off',
    title: 'A node loses power',
    fault: 'every process of one node is killed at once and its network is cut',
    slo: '≤ 1 % failed GETs; writes back within 30 s; 0 acknowledged orders lost or duplicated',
    before: 15,
    after: 60,
    inject: (f) => f.powerOffNode?.(),
    evaluate: (m, inv) => [failedGetsAtMost(m, 1), writesBackWithin(m, 30), ...dataChecks(inv)],
  },
  'network-cut': {
    id: 'network-cut',
    title: "A node is cut off the network (the primary's)",
    fault: 'the node holding the database primary loses its lab-network link for 60 s',
    slo: '≤ 1 % failed GETs; writes back within 30 s; 0 acknowledged orders lost or duplicated',
    before: 15,
    after: 60,
    inject: (f) => f.cutNodeNetwork?.(60),
    evaluate: (m, inv) => [failedGetsAtMost(m, 1), writesBackWithin(m, 30), ...dataChecks(inv)],
  },
  'disk-full': {
    id: 'disk-full',
    title: "A node's disk fills up",
    fault: "a node's data disk is filled but 200 MB for 90 s (the kubelet evicts pods, the disk alert fires)",
    slo: '≤ 1 % failed GETs; 0 acknowledged orders lost or duplicated',
    before: 15,
    after: 30,
    inject: (f) => f.fillNodeDisk?.(90),
    evaluate: (m, inv) => [failedGetsAtMost(m, 1), ...dataChecks(inv)],
  },
  'flash-sale': {
    id: 'flash-sale',
    title: 'Flash sale: 2,000 buyers, 100 units',
    fault: 'no fault: the burst itself (2,000 buyers add the one product and check out within 20 s)',
    slo: 'exactly the stock sold, never more; every buyer ends with an order or a clean "sold out" (no failure after client retries)',
    before: 0,
    after: 0,
    evaluate: (m, inv) => [
      {
        what: 'buyers left with a failure (after client retries)',
        pass: Object.values(m.availability).every((a) => a.failed === 0),
        measured: `${Object.values(m.availability).reduce((n, a) => n + a.failed, 0)} (raw 5xx or no answer before retries: ${m.rawFailures.total})`,
      },
      ...dataChecks(inv),
    ],
  },
};
