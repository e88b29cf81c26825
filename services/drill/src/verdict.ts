/**
 * From k6's samples and the database afterwards to a verdict: what shoppers
 * experienced before, during and after the fault, and whether any order the
 * client saw acknowledged was lost or duplicated.
 */
import type { Sample } from './k6.js';
import type { Target } from './targets/target.js';

export const READS = ['list', 'search', 'detail', 'cart'] as const;
export const WRITES = ['add', 'checkout'] as const;
const DURING_MIN_MS = 10_000;

export interface Window {
  requests: number;
  rawFailures: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface Measured {
  /** Share of logical requests (after the client's own retries) that succeeded, by route class. */
  availability: Record<string, { requests: number; failed: number; ratio: number }>;
  /** Answers that were 5xx or no answer at all, before any client retry (what the ingress returned). */
  rawFailures: { total: number; byStatus: Record<string, number> };
  /** The longest stretch from the first to the last of consecutive failed requests, in seconds. */
  longestFailureRunSeconds: number;
  /** The longest time with no successful write (add to cart or checkout) while the drill ran. */
  longestWriteGapSeconds: number;
  /** From the fault's start to the last failed request (0 when none failed). */
  recoverySeconds: number;
  windows: { before: Window; during: Window; after: Window };
  checkouts: Record<string, number>;
  /** Seconds since the start, per second: requests, failed requests, p99 (ms). */
  series: { second: number; requests: number; failed: number; p99: number }[];
}

export interface Invariants {
  acknowledged: number;
  lost: number;
  duplicated: number;
  notPaid: number;
  negativeStock: number;
  paidWithoutPayment: number;
  stockConserved: boolean;
  stockDetail: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);

function windowOf(durations: Sample[], failures: Sample[], from: number, to: number): Window {
  const inside = durations.filter((s) => s.t >= from && s.t < to);
  const sorted = inside.map((s) => s.value).sort((a, b) => a - b);
  return {
    requests: inside.length,
    rawFailures: failures.filter((s) => s.t >= from && s.t < to).length,
    p50: Math.round(percentile(sorted, 50) * 10) / 10,
    p95: Math.round(percentile(sorted, 95) * 10) / 10,
    p99: Math.round(percentile(sorted, 99) * 10) / 10,
  };
}

const isRawFailure = (s: Sample) => {
  const status = Number(s.tags.status ?? 0);
  return status === 0 || status >= 500;
};

export function measure(samples: Sample[], fault: { start: number; end: number }): Measured {
  const durations = samples.filter((s) => s.metric === 'http_req_duration' && s.tags.name && s.tags.name !== 'setup');
  const raw = durations.filter(isRawFailure);
  const logical = samples.filter((s) => s.metric === 'shopper_failed').sort((a, b) => a.t - b.t);

  const availability: Measured['availability'] = {};
  for (const s of logical) {
    const name = s.tags.name ?? 'other';
    availability[name] ??= { requests: 0, failed: 0, ratio: 1 };
    const entry = availability[name];
    entry.requests++;
    if (s.value === 1) entry.failed++;
  }
  for (const entry of Object.values(availability)) entry.ratio = entry.requests ? (entry.requests - entry.failed) / entry.requests : 1;

  let longestRun = 0;
  let runStart: number | null = null;
  for (const s of logical) {
    if (s.value === 1) {
      runStart ??= s.t;
      longestRun = Math.max(longestRun, (s.t - runStart) / 1000);
    } else {
      runStart = null;
    }
  }

  const writes = durations
    .filter((s) => (WRITES as readonly string[]).includes(s.tags.name ?? '') && ['200', '201'].includes(s.tags.status ?? ''))
    .map((s) => s.t)
    .sort((a, b) => a - b);
  let longestWriteGap = 0;
  for (let i = 1; i < writes.length; i++)
    longestWriteGap = Math.max(longestWriteGap, ((writes[i] as number) - (writes[i - 1] as number)) / 1000);

  const lastFailure = logical.filter((s) => s.value === 1).at(-1);
  // "During" is the fault and what it takes down with it: at least the 10 s after an instant fault.
  const duringEnd = Math.max(fault.end, fault.start + DURING_MIN_MS);
  const start = Math.min(...durations.map((s) => s.t));
  const end = Math.max(...durations.map((s) => s.t));
  const series: Measured['series'] = [];
  for (let second = 0; start + second * 1000 <= end; second++) {
    const from = start + second * 1000;
    const w = windowOf(durations, raw, from, from + 1000);
    series.push({ second, requests: w.requests, failed: w.rawFailures, p99: w.p99 });
  }
  const checkouts: Record<string, number> = {};
  for (const s of samples.filter((x) => x.metric === 'checkout_outcomes')) {
    const outcome = s.tags.outcome ?? '?';
    checkouts[outcome] = (checkouts[outcome] ?? 0) + s.value;
  }
  const byStatus: Record<string, number> = {};
  for (const s of raw) byStatus[s.tags.status || 'no answer'] = (byStatus[s.tags.status || 'no answer'] ?? 0) + 1;

  return {
    availability,
    rawFailures: { total: raw.length, byStatus },
    longestFailureRunSeconds: Math.round(longestRun * 10) / 10,
    longestWriteGapSeconds: Math.round(longestWriteGap * 10) / 10,
    recoverySeconds: lastFailure && lastFailure.t > fault.start ? Math.round((lastFailure.t - fault.start) / 100) / 10 : 0,
    windows: {
      before: windowOf(durations, raw, start, fault.start),
      during: windowOf(durations, raw, fault.start, duringEnd),
      after: windowOf(durations, raw, duringEnd, end + 1),
    },
    checkouts,
    series: series.map((p) => ({ ...p, second: p.second })),
  };
}

export interface StockSnapshot {
  total: number;
}

export async function stockSnapshot(target: Target): Promise<StockSnapshot> {
  const [row] = await target.sql<{ total: string }>('SELECT coalesce(sum(stock), 0)::text AS total FROM products');
  return { total: Number(row?.total ?? 0) };
}

/**
 * The data after the drill: every order the client saw acknowledged exists exactly once and is
 * paid; no stock below zero; every paid order has its payment reference; and stock is conserved:
 * what left the shelves since the start is exactly what the orders made since then hold.
 */
export async function checkInvariants(target: Target, samples: Sample[], before: StockSnapshot, since: Date): Promise<Invariants> {
  const acks = samples.filter((s) => s.metric === 'orders_acknowledged');
  const ids = [...new Set(acks.map((s) => s.tags.order_id).filter(Boolean))] as string[];
  const keys = [...new Set(acks.map((s) => s.tags.key).filter(Boolean))] as string[];
  const found = await target.sql<{ id: string; status: string }>('SELECT id, status FROM orders WHERE id = ANY($1::uuid[])', [ids]);
  const duplicates = await target.sql<{ n: string }>(
    'SELECT count(*)::text AS n FROM (SELECT idempotency_key FROM orders WHERE idempotency_key = ANY($1) GROUP BY user_id, idempotency_key HAVING count(*) > 1) d',
    [keys],
  );
  const [checks] = await target.sql<{ negative: string; unpaid_ref: string; held: string; now: string }>(
    `SELECT (SELECT count(*) FROM products WHERE stock < 0)::text AS negative,
            (SELECT count(*) FROM orders WHERE status IN ('paid', 'processing', 'shipped', 'delivered') AND payment_reference IS NULL)::text AS unpaid_ref,
            (SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
              WHERE o.created_at >= $1 AND o.status IN ('pending_payment', 'paid', 'processing', 'shipped', 'delivered'))::text AS held,
            (SELECT coalesce(sum(stock), 0) FROM products)::text AS now`,
    [since],
  );
  const held = Number(checks?.held ?? 0);
  const now = Number(checks?.now ?? 0);
  return {
    acknowledged: ids.length,
    lost: ids.length - found.length,
    duplicated: Number(duplicates[0]?.n ?? 0) + (acks.length > keys.length ? acks.length - keys.length : 0),
    notPaid: found.filter((o) => o.status !== 'paid').length,
    negativeStock: Number(checks?.negative ?? 0),
    paidWithoutPayment: Number(checks?.unpaid_ref ?? 0),
    stockConserved: before.total - now === held,
    stockDetail: `stock ${before.total} before, ${now} after; ${held} units in orders made since`,
  };
}
