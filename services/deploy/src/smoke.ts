/**
 * The shop as a shopper reaches it, after every deploy and rollback: through the ingress
 * (name -> ingress address -> TLS with the lab CA -> Traefik -> the Services), not from inside
 * the cluster (that is `helm test`). Each check is retried until --retry-seconds run out, since
 * the ingress may still be moving to the new endpoints; the first check that never passes
 * fails the smoke test.
 *
 *   node --import tsx services/deploy/src/smoke.ts --url https://shop.dhakacart.lab \
 *     [--resolve 192.168.56.100] [--ca lab-ca.crt] [--retry-seconds 60] [--out report.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { parseArgs } from 'node:util';

export interface SmokeOptions {
  url: string;
  /** Connect to this address whatever the host name resolves to (curl's --resolve). */
  resolve?: string;
  ca?: string;
  retrySeconds: number;
  /** Also require http:// to redirect to https:// (the ingress's redirect). */
  checkRedirect: boolean;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  attempts: number;
  detail: string;
}

function get(o: SmokeOptions, target: string): Promise<Answer> {
  const url = new URL(target);
  const lookup: LookupFunction | undefined = o.resolve
    ? (_host, opts, cb) => {
        const family = o.resolve?.includes(':') ? 6 : 4;
        if ((opts as { all?: boolean }).all)
          (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: o.resolve as string, family }]);
        else cb(null, o.resolve as string, family);
      }
    : undefined;
  const started = Date.now();
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(
      url,
      {
        lookup,
        ca: o.ca ? readFileSync(o.ca) : undefined,
        servername: url.hostname,
        agent: false,
        timeout: 10_000,
        headers: { 'user-agent': 'dhakacart-smoke/1', accept: '*/*' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (body.length < 2_000_000) body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: Date.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout after 10 s')));
    req.on('error', reject);
  });
}

type Verdict = string | null; // null: pass; otherwise why not

interface Check {
  name: string;
  path: string;
  http?: boolean;
  verify: (a: Answer, ctx: Record<string, string>) => Verdict;
}

const isJson = (a: Answer) => String(a.headers['content-type'] ?? '').startsWith('application/json');

export function checks(): Check[] {
  return [
    {
      name: 'storefront page',
      path: '/',
      verify: (a) =>
        a.status !== 200
          ? `status ${a.status}`
          : !String(a.headers['content-type'] ?? '').startsWith('text/html')
            ? `content-type ${a.headers['content-type']}`
            : /<div id="root"/.test(a.body)
              ? null
              : 'no app root in the page',
    },
    {
      name: 'catalog from the database',
      path: '/v1/products?limit=3',
      verify: (a, ctx) => {
        if (a.status !== 200 || !isJson(a)) return `status ${a.status} ${a.headers['content-type'] ?? ''}`;
        const items = (JSON.parse(a.body) as { items?: { slug?: string }[] }).items;
        if (!Array.isArray(items) || items.length === 0 || !items[0]?.slug) return 'no products';
        ctx.slug = items[0].slug;
        return null;
      },
    },
    {
      name: 'a product page',
      path: '/v1/products/{slug}',
      verify: (a) => (a.status === 200 && isJson(a) && JSON.parse(a.body).slug ? null : `status ${a.status}`),
    },
    {
      name: 'OpenAPI document',
      path: '/openapi.json',
      verify: (a) => (a.status === 200 && isJson(a) && 'paths' in JSON.parse(a.body) ? null : `status ${a.status}`),
    },
  ];
}

export async function smoke(o: SmokeOptions, log: (line: string) => void = () => {}): Promise<CheckResult[]> {
  const base = new URL(o.url);
  const deadline = Date.now() + o.retrySeconds * 1000;
  const ctx: Record<string, string> = {};
  const list = checks();
  if (o.checkRedirect) {
    list.push({
      name: 'http:// redirects to https://',
      path: '/v1/products',
      http: true,
      verify: (a) =>
        [301, 302, 307, 308].includes(a.status) && a.headers.location === `https://${base.host}/v1/products`
          ? null
          : `status ${a.status} location ${a.headers.location ?? '-'}`,
    });
  }
  const results: CheckResult[] = [];
  for (const c of list) {
    const path = c.path.replace('{slug}', encodeURIComponent(ctx.slug ?? 'missing'));
    const target = `${c.http ? 'http' : base.protocol.slice(0, -1)}://${base.host}${path}`;
    let attempts = 0;
    let detail = '';
    let ok = false;
    do {
      attempts++;
      try {
        const a = await get(o, target);
        const why = c.verify(a, ctx);
        ok = why === null;
        detail = why ?? `${a.status} in ${a.ms} ms`;
      } catch (err) {
        detail = err instanceof Error ? err.message : String(err);
      }
      if (!ok && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    } while (!ok && Date.now() < deadline);
    log(`${ok ? 'ok  ' : 'FAIL'} ${c.name}: GET ${path} (${detail}${attempts > 1 ? `, ${attempts} attempts` : ''})`);
    results.push({ name: c.name, ok, attempts, detail });
    if (!ok) break;
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'https://shop.dhakacart.lab' },
      resolve: { type: 'string' },
      ca: { type: 'string' },
      'retry-seconds': { type: 'string', default: '60' },
      'check-redirect': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const results = await smoke(
    {
      url: values.url as string,
      resolve: values.resolve,
      ca: values.ca,
      retrySeconds: Number(values['retry-seconds']),
      checkRedirect: values['check-redirect'] as boolean,
    },
    (line) => console.log(`smoke: ${line}`),
  );
  if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  const ok = results.length > 0 && results.every((r) => r.ok);
  console.log(
    `smoke: ${ok ? 'passed' : 'FAILED'} (${results.filter((r) => r.ok).length}/${checks().length + (values['check-redirect'] ? 1 : 0)} checks)`,
  );
  process.exit(ok ? 0 : 1);
}
