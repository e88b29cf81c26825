/**
 * `make bench`: measured in one run on this machine, reported as ratios to
 * baselines measured in the same run (absolute numbers depend on the machine):
 *  - catalog list and product detail req/s vs a bare Fastify hello-world, and
 *    their p50/p99 at 100 connections (wrk, cache warm: the Eid-sale hot path),
 *    every request with a browser's Accept-Encoding; the list once more without;
 *  - checkout orders/s vs pgbench tpcb-like on the same PostgreSQL with the
 *    same number of clients.
 * Ends with one JSON line for CI dashboards.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres, startRedis, waitFor } from '@dhakacart/devstack';
import pg from 'pg';
import { migrate } from '../src/db/migrator.js';
import { seedCatalog } from '../src/seed/seed.js';

const DURATION = process.env.BENCH_SECONDS ?? '10';
const CONNECTIONS = 100;
const CHECKOUT_CLIENTS = Number(process.env.BENCH_CHECKOUT_CLIENTS ?? 16);
const here = import.meta.dirname;
const work = mkdtempSync(join(tmpdir(), 'dhakacart-bench-'));

interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

function parseDuration(text: string): number {
  const m = text.match(/([\d.]+)(us|ms|s)/);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

const WARMUP = process.env.BENCH_WARMUP_SECONDS ?? '5';
/** What every browser sends; runs made without it are labelled so. */
const BROWSER = ['-H', 'Accept-Encoding: gzip, deflate, br'];

/** Every target gets the same un-measured warm-up first: V8 optimises hot code in the first seconds. */
function wrk(url: string, connections: number, script?: string, warmup = true, headers = BROWSER): WrkResult {
  const common = [...headers, ...(script ? ['-s', script] : []), url];
  if (warmup) execFileSync('wrk', ['-t1', `-c${connections}`, `-d${WARMUP}s`, ...common], { stdio: 'ignore' });
  const args = ['-t1', `-c${connections}`, `-d${DURATION}s`, '--latency', ...common];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const p50 = parseDuration(out.match(/\s50%\s+(\S+)/)?.[1] ?? '');
  const p99 = parseDuration(out.match(/\s99%\s+(\S+)/)?.[1] ?? '');
  const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const errors = [...out.matchAll(/(connect|read|write|timeout) (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
  return { rps, p50Ms: p50, p99Ms: p99, non2xx, errors };
}

/** TypeScript through tsx (the baseline), compiled JavaScript as it is (the API). */
function startNode(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, script.endsWith('.ts') ? ['--import', 'tsx', script] : [script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function ready(url: string, child: ChildProcess) {
  await waitFor(url, async () => (await fetch(url)).ok, 30_000, child);
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Resident memory of a process, in MB (/proc/<pid>/status VmRSS). */
function rssMb(pid: number | undefined): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return round(kb / 1024, 0);
}

/** HS256 access tokens as the API issues them, for 60k pre-made shoppers (logging each in would benchmark argon2). */
function signAccessToken(secret: string, userId: string) {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: userId, role: 'customer', iss: 'dhakacart', aud: 'dhakacart-api', iat: now, exp: now + 3600 })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

async function main() {
  console.log(
    `bench: ${WARMUP}s warm-up + ${DURATION}s measured per run, ${CONNECTIONS} connections for reads, ${CHECKOUT_CLIENTS} clients for checkout`,
  );
  const postgres = await startPostgres({ durable: true });
  const redis = await startRedis();
  const children: ChildProcess[] = [];
  try {
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE shop');
    await admin.query('CREATE DATABASE pgbench');
    await admin.end();
    const shopUrl = postgres.urlFor('shop');
    await migrate(shopUrl);
    await seedCatalog(shopUrl);

    // --- baseline: hello world
    const helloPort = await freePort();
    const hello = startNode(join(here, 'hello-world.ts'), { PORT: String(helloPort) });
    children.push(hello);
    await ready(`http://127.0.0.1:${helloPort}/hello`, hello);
    const helloResult = wrk(`http://127.0.0.1:${helloPort}/hello`, CONNECTIONS);
    hello.kill();

    // --- the API
    const apiPort = await freePort();
    const jwtSecret = randomBytes(32).toString('hex');
    // The compiled server, as the image runs it (`make bench` builds it first), not a TypeScript loader.
    const api = startNode(join(here, '..', 'dist', 'server.js'), {
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATABASE_URL: shopUrl,
      REDIS_URL: redis.url,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      DATABASE_POOL_MAX: String(CHECKOUT_CLIENTS),
      MAX_EVENT_LOOP_DELAY_MS: '0',
      NODE_ENV: 'production',
    });
    children.push(api);
    const base = `http://127.0.0.1:${apiPort}`;
    await ready(`${base}/readyz`, api);

    const db = new pg.Client({ connectionString: shopUrl });
    await db.connect();
    const slugs = (await db.query<{ slug: string }>('SELECT slug FROM products ORDER BY id LIMIT 200')).rows.map((r) => r.slug);
    const categories = (await db.query<{ slug: string }>('SELECT slug FROM categories WHERE parent_id IS NOT NULL')).rows.map(
      (r) => r.slug,
    );
    const rotate = (name: string, paths: string[]) => {
      const file = join(work, `${name}.lua`);
      writeFileSync(
        file,
        `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
      );
      return file;
    };
    const listPaths = categories.flatMap((c) => [
      `/v1/products?category=${c}&limit=24`,
      `/v1/products?category=${c}&sort=price_asc&limit=24`,
    ]);
    const detailPaths = slugs.map((s) => `/v1/products/${s}`);
    // Warm the cache the way the first shoppers of the morning would, keeping the list pages' validators.
    const etags = new Map<string, string>();
    for (const p of [...listPaths, ...detailPaths]) etags.set(p, (await fetch(base + p)).headers.get('etag') ?? '');
    const listScript = rotate('list', listPaths);
    // Browsers revalidating the list pages they hold (If-None-Match): the 304 path.
    const revalidateScript = join(work, 'revalidate.lua');
    writeFileSync(
      revalidateScript,
      `local paths = {${listPaths.map((p) => JSON.stringify(p)).join(',')}}\nlocal tags = {${listPaths.map((p) => JSON.stringify(etags.get(p))).join(',')}}\n` +
        'local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i], { ["If-None-Match"] = tags[i] })\nend\n',
    );
    // RSS after each read run: three runs of the same traffic in a row must not grow it.
    const rss: number[] = [rssMb(api.pid)];
    const listResult = wrk(base, CONNECTIONS, listScript);
    rss.push(rssMb(api.pid));
    const detailResult = wrk(base, CONNECTIONS, rotate('detail', detailPaths));
    // The same list traffic from a client that asks for no compression.
    const listIdentityResult = wrk(base, CONNECTIONS, listScript, true, []);
    rss.push(rssMb(api.pid));
    const notModifiedResult = wrk(base, CONNECTIONS, revalidateScript);
    const listAgain = wrk(base, CONNECTIONS, listScript, false);
    rss.push(rssMb(api.pid));

    // --- checkout vs pgbench, same clients
    const pgbenchBin = join(postgres.binDir, 'pgbench');
    execFileSync(pgbenchBin, ['-i', '-q', '-s', '10', postgres.urlFor('pgbench')], { stdio: 'ignore' });
    const pgbenchOut = execFileSync(
      pgbenchBin,
      ['-b', 'tpcb-like', '-c', String(CHECKOUT_CLIENTS), '-j', '2', '-T', DURATION, '-n', postgres.urlFor('pgbench')],
      { encoding: 'utf8' },
    );
    const pgbenchTps = Number(pgbenchOut.match(/tps = ([\d.]+)/)?.[1]);

    const buyers = 60_000;
    const productIds = (await db.query<{ id: number }>('SELECT id FROM products ORDER BY id LIMIT 500')).rows.map((r) => r.id);
    await db.query('UPDATE products SET stock = 1000000 WHERE id = ANY($1)', [productIds]);
    const users = (
      await db.query<{ id: string }>(
        `INSERT INTO users (email, password_hash, name) SELECT 'bench-' || g || '@example.test', 'x', 'Bench ' || g FROM generate_series(1, $1) g RETURNING id`,
        [buyers],
      )
    ).rows.map((r) => r.id);
    await db.query('INSERT INTO carts (user_id) SELECT unnest($1::uuid[])', [users]);
    await db.query(
      `INSERT INTO cart_items (cart_id, product_id, quantity)
       SELECT c.id, ($2::int[])[1 + (row_number() OVER () % array_length($2::int[], 1))], 1 FROM carts c WHERE c.user_id = ANY($1::uuid[])`,
      [users, productIds],
    );
    await db.query('VACUUM ANALYZE');
    const tokens = users.map((id) => signAccessToken(jwtSecret, id));
    const body = JSON.stringify({
      shipping: { name: 'Bench Buyer', phone: '01712345678', address: 'House 1, Road 1, Gulshan', city: 'Dhaka' },
      payment: { provider: 'bkash' },
    });
    const checkoutScript = join(work, 'checkout.lua');
    writeFileSync(
      checkoutScript,
      `local tokens = {${tokens.map((x) => `"${x}"`).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  if i > #tokens then i = 1 end\n  return wrk.format("POST", "/v1/checkout", {["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json", ["Idempotency-Key"] = "bench-" .. i .. "-${randomUUID()}"}, ${JSON.stringify(body)})\nend\n`,
    );
    const before = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE status = 'paid'")).rows[0]?.n);
    // No warm-up run here: it would use up carts; the first seconds count against checkout, not for it.
    const checkoutResult = wrk(base, CHECKOUT_CLIENTS, checkoutScript, false);
    const after = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE status = 'paid'")).rows[0]?.n);
    const ordersPerSec = (after - before) / Number(DURATION);
    const negative = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM products WHERE stock < 0')).rows[0]?.n);
    await db.end();

    const rows = [
      ['hello-world (baseline)', helloResult],
      ['catalog list', listResult],
      ['catalog list, no Accept-Encoding', listIdentityResult],
      ['catalog list revalidated (If-None-Match: 304)', notModifiedResult],
      ['catalog list, third run', listAgain],
      ['product detail', detailResult],
      ['checkout', checkoutResult],
    ] as const;
    console.log('\n| run | req/s | p50 ms | p99 ms | non-2xx | socket errors |\n| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, r] of rows)
      console.log(`| ${name} | ${round(r.rps, 0)} | ${round(r.p50Ms)} | ${round(r.p99Ms)} | ${r.non2xx} | ${r.errors} |`);
    console.log(
      `\npgbench tpcb-like, ${CHECKOUT_CLIENTS} clients: ${round(pgbenchTps, 0)} tps; checkout: ${round(ordersPerSec, 0)} paid orders/s (negative stock rows: ${negative})`,
    );
    const summary = {
      catalogVsHelloWorld: round(listResult.rps / helloResult.rps, 3),
      catalogP50Ms: round(listResult.p50Ms),
      catalogP99Ms: round(listResult.p99Ms),
      catalogIdentityVsHelloWorld: round(listIdentityResult.rps / helloResult.rps, 3),
      catalogIdentityP99Ms: round(listIdentityResult.p99Ms),
      notModifiedVsHelloWorld: round(notModifiedResult.rps / helloResult.rps, 3),
      notModifiedP99Ms: round(notModifiedResult.p99Ms),
      apiRssMb: { start: rss[0], afterList: rss[1], afterIdentity: rss[2], afterThirdList: rss[3], afterCheckout: rssMb(api.pid) },
      detailVsHelloWorld: round(detailResult.rps / helloResult.rps, 3),
      detailP99Ms: round(detailResult.p99Ms),
      checkoutVsPgbench: round(ordersPerSec / pgbenchTps, 3),
      helloWorldRps: round(helloResult.rps, 0),
      catalogRps: round(listResult.rps, 0),
      checkoutOrdersPerSec: round(ordersPerSec, 1),
      pgbenchTps: round(pgbenchTps, 0),
      checkoutNon2xx: checkoutResult.non2xx,
      connections: CONNECTIONS,
      checkoutClients: CHECKOUT_CLIENTS,
      seconds: Number(DURATION),
    };
    console.log(JSON.stringify(summary));
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await Promise.allSettled([postgres.dispose(), redis.dispose()]);
  }
}

await main();
