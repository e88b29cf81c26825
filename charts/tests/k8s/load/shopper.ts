// Bounded shopper load through the shop's HTTPS ingress, for the live node-failure
// checks of the local cluster (charts/tests/k8s/checks/node-off.sh, drain.sh).
// It runs on the host, talks to https://<host> at the ingress address with the
// lab CA, and records every request, so a fault in the middle can be measured:
//   - catalog: GET /v1/products at a fixed rate (open model: a slow answer
//     does not delay the next request);
//   - writes: PUT /v1/cart/items at a fixed rate as one customer (a database
//     write each), to time when writes are accepted again;
//   - checkouts: each customer in turn fills the cart and checks out with an
//     Idempotency-Key, retrying the same key and body until an answer, as the
//     storefront does; every acknowledged order (201/200) is recorded.
// Stops by itself after --seconds (plus at most --retry-seconds for a checkout
// in flight) and writes a JSON report to --out.
//   tsx shopper.ts --host shop.dhakacart.lab --address 10.250.0.2 --ca lab-ca.crt \
//     --accounts accounts.json --seconds 120 --out result.json
// accounts.json: [{"email": ..., "password": ...}, ...] (made by checks/lib.sh).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parseArgs } from 'node:util';

interface Options {
  host: string;
  address: string;
  ca: string;
  accounts: string;
  seconds: number;
  retrySeconds: number;
  catalogPerSecond: number;
  writesPerSecond: number;
  out: string;
}

interface Answer {
  status: number;
  body: string;
}

// A product that sells out while the load runs answers 409 with one of these codes:
// the shop's normal answer, not a failure.
const SOLD_OUT = /"code":"(OUT_OF_STOCK|INSUFFICIENT_STOCK)"/;
const soldOut = (r: Answer): boolean => r.status === 409 && SOLD_OUT.test(r.body);

interface Sample {
  at: number;
  ok: boolean;
  what: string;
}

interface Ack {
  key: string;
  orderId: string;
  number: number;
  status: number;
  at: number;
  attempts: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: 'shop.dhakacart.lab' },
      address: { type: 'string' },
      ca: { type: 'string' },
      accounts: { type: 'string' },
      seconds: { type: 'string', default: '60' },
      'retry-seconds': { type: 'string', default: '120' },
      'catalog-per-second': { type: 'string', default: '4' },
      'writes-per-second': { type: 'string', default: '2' },
      out: { type: 'string' },
    },
  });
  const need = (name: string, value: string | undefined): string => {
    if (!value) throw new Error(`--${name} is required`);
    return value;
  };
  return {
    host: values.host ?? 'shop.dhakacart.lab',
    address: need('address', values.address),
    ca: need('ca', values.ca),
    accounts: need('accounts', values.accounts),
    seconds: Number(values.seconds),
    retrySeconds: Number(values['retry-seconds']),
    catalogPerSecond: Number(values['catalog-per-second']),
    writesPerSecond: Number(values['writes-per-second']),
    out: need('out', values.out),
  };
}

const opts = options();
// Keep-alive, like a browser: a dead backend shows up as it does for shoppers.
const agent = new Agent({ keepAlive: true, maxSockets: 32, ca: readFileSync(opts.ca), servername: opts.host });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: opts.address,
        servername: opts.host,
        port: 443,
        method,
        path,
        timeout: 5000,
        headers: {
          host: opts.host,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const errorName = (e: unknown): string => String((e as { code?: string }).code ?? (e as Error).name ?? 'error');

async function login(email: string, password: string): Promise<string> {
  const r = await call('POST', '/v1/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.body}`);
  return (JSON.parse(r.body) as { accessToken: string }).accessToken;
}

const samples: Sample[] = [];
const errors: Record<string, number> = {};
const countError = (what: string, kind: string) => {
  const k = `${what} ${kind}`;
  errors[k] = (errors[k] ?? 0) + 1;
};
const start = Date.now();
const end = start + opts.seconds * 1000;

// A request every 1000/rate ms until the end, each on its own (open model).
async function fixedRate(rate: number, what: string, fire: (i: number) => Promise<Answer>): Promise<void> {
  const inFlight: Promise<void>[] = [];
  for (let i = 0; Date.now() < end; i++) {
    const at = Date.now();
    inFlight.push(
      fire(i).then(
        (r) => {
          const ok = (r.status >= 200 && r.status < 300) || soldOut(r);
          if (!ok) countError(what, String(r.status));
          samples.push({ at, ok, what });
        },
        (e: unknown) => {
          countError(what, errorName(e));
          samples.push({ at, ok: false, what });
        },
      ),
    );
    await sleep(Math.max(0, start + ((i + 1) * 1000) / rate - Date.now()));
  }
  await Promise.all(inFlight);
}

interface Product {
  id: number;
  stock?: number;
}

async function main(): Promise<void> {
  const accounts = JSON.parse(readFileSync(opts.accounts, 'utf8')) as { email: string; password: string }[];
  const tokens = await Promise.all(accounts.map((a) => login(a.email, a.password)));
  const listing = await call('GET', '/v1/products?limit=50&sort=newest');
  const products = (JSON.parse(listing.body) as { items: Product[] }).items.filter((p) => (p.stock ?? 1) > 0);
  if (products.length < 2 || tokens.length < 2) throw new Error('need at least two products and two accounts');
  const productAt = (i: number): Product => products[i % products.length] as Product;
  const writer = tokens[0] as string;
  const buyers = tokens.slice(1);

  const acks: Ack[] = [];
  let checkoutFailures = 0;
  let soldOutAnswers = 0;
  const shipping = { name: 'Drill Shopper', phone: '01712345678', address: 'House 1, Road 2, Dhanmondi', city: 'Dhaka' };

  async function buyer(token: string, n: number): Promise<void> {
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; Date.now() < end; i++) {
      const product = productAt(n * 7 + i);
      try {
        const put = await call('PUT', `/v1/cart/items/${product.id}`, { quantity: 1 }, auth);
        if (soldOut(put)) {
          soldOutAnswers++;
          continue;
        }
        if (put.status !== 200) {
          countError('cart', String(put.status));
          await sleep(500);
          continue;
        }
      } catch (e) {
        countError('cart', errorName(e));
        await sleep(500);
        continue;
      }
      // One order: the same key and body until the shop answers, as the storefront retries.
      const key = `drill-${randomUUID()}`;
      const body = { shipping, payment: { provider: 'bkash', sandboxOutcome: 'success' } };
      const giveUp = Date.now() + opts.retrySeconds * 1000;
      for (let attempt = 1; Date.now() < giveUp; attempt++) {
        try {
          const r = await call('POST', '/v1/checkout', body, { ...auth, 'idempotency-key': key });
          if (r.status === 201 || r.status === 200) {
            const order = JSON.parse(r.body) as { id: string; number: number };
            acks.push({ key, orderId: order.id, number: order.number, status: r.status, at: Date.now(), attempts: attempt });
            break;
          }
          if (soldOut(r)) {
            soldOutAnswers++;
            break;
          }
          checkoutFailures++;
          countError('checkout', String(r.status));
          // 4xx other than "in progress" / rate limit will not change on retry.
          if (r.status >= 400 && r.status < 500 && r.status !== 409 && r.status !== 429) break;
        } catch (e) {
          checkoutFailures++;
          countError('checkout', errorName(e));
        }
        await sleep(1000);
      }
      // A shopper's pause before the next order.
      await sleep(1000);
    }
  }

  await Promise.all([
    fixedRate(opts.catalogPerSecond, 'catalog', (i) => call('GET', `/v1/products?limit=5&sort=${i % 2 ? 'newest' : 'price_asc'}`)),
    fixedRate(opts.writesPerSecond, 'write', (i) =>
      call('PUT', `/v1/cart/items/${productAt(i).id}`, { quantity: 1 + (i % 3) }, { authorization: `Bearer ${writer}` }),
    ),
    ...buyers.map((t, n) => buyer(t, n)),
  ]);

  // Longest run of consecutive failures per kind, in seconds (first failure to the next success).
  const longestGap = (what: string): { seconds: number; from: number | null } => {
    const s = samples.filter((x) => x.what === what).sort((a, b) => a.at - b.at);
    let best = 0;
    let bestFrom: number | null = null;
    let from: number | null = null;
    for (const x of s) {
      if (!x.ok && from === null) from = x.at;
      if (x.ok && from !== null) {
        if (x.at - from > best) {
          best = x.at - from;
          bestFrom = from;
        }
        from = null;
      }
    }
    if (from !== null && end - from > best) {
      best = end - from;
      bestFrom = from;
    }
    return { seconds: best / 1000, from: bestFrom };
  };
  const count = (what: string, ok: boolean) => samples.filter((x) => x.what === what && x.ok === ok).length;
  const ackTimes = acks.map((a) => a.at).sort((a, b) => a - b);
  let longestCheckoutGap = 0;
  for (let i = 1; i < ackTimes.length; i++) {
    longestCheckoutGap = Math.max(longestCheckoutGap, (ackTimes[i] as number) - (ackTimes[i - 1] as number));
  }
  const report = {
    startedAt: start,
    seconds: opts.seconds,
    catalog: { ok: count('catalog', true), failed: count('catalog', false), longestFailure: longestGap('catalog') },
    writes: {
      ok: count('write', true),
      failed: count('write', false),
      longestFailure: longestGap('write'),
      okTimes: samples.filter((x) => x.what === 'write' && x.ok).map((x) => x.at),
      failTimes: samples.filter((x) => x.what === 'write' && !x.ok).map((x) => x.at),
    },
    checkouts: { acknowledged: acks.length, failedAttempts: checkoutFailures, soldOut: soldOutAnswers, longestGapSeconds: longestCheckoutGap / 1000, acks },
    errors,
  };
  writeFileSync(opts.out, JSON.stringify(report, null, 1));
  const failedPct = (100 * report.catalog.failed) / Math.max(1, report.catalog.ok + report.catalog.failed);
  console.log(
    `shopper: catalog ${report.catalog.ok} ok / ${report.catalog.failed} failed (${failedPct.toFixed(2)} %), ` +
      `writes ${report.writes.ok} ok / ${report.writes.failed} failed, ` +
      `${acks.length} orders acknowledged, longest checkout gap ${report.checkouts.longestGapSeconds.toFixed(1)} s, errors ${JSON.stringify(errors)}`,
  );
  agent.destroy();
}

main().catch((e: unknown) => {
  console.error(`shopper: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
