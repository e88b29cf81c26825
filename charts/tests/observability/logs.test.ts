/**
 * Logs: the Alloy pipeline (ansible/roles/platform/templates/values/alloy.yaml.j2)
 * and the saved LogQL searches (charts/dhakacart/files/dashboards/logs.json)
 * against the real API's log lines: every field they read is in the lines the
 * running API writes, stream selectors use only labels Alloy sets, and user
 * ids, request ids and IPs never become labels. Every LogQL expression (the
 * dashboard's and the runbook's) parses with Grafana's LogQL grammar.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser as logql } from '@grafana/lezer-logql';
import t from 'tap';
import { apiProcessEnv, ensureUser, freshDatabase, startServerProcess } from '@dhakacart/api/testing';
import { renderedDashboards, repo, toolsReady } from './lib.js';

const alloy = readFileSync(join(repo, 'ansible', 'roles', 'platform', 'templates', 'values', 'alloy.yaml.j2'), 'utf8');
if (toolsReady(t)) {
  const logsDashboard = (await renderedDashboards()).find((d) => d.json.uid === 'dhakacart-logs')?.json;
  const queries: { panel: string; expr: string }[] = (logsDashboard?.panels ?? []).flatMap((p: any) =>
    p.targets.map((x: any) => ({ panel: p.title, expr: x.expr })),
  );

  // Labels a log stream can have: what Alloy's relabel rules and stage.labels set.
  const streamLabels = new Set([
    ...[...alloy.matchAll(/target_label\s*=\s*"([^"]+)"/g)].map((m) => m[1] as string),
    ...[...alloy.matchAll(/stage\.labels\s*\{\s*values\s*=\s*\{([^}]*)\}/g)].flatMap((m) =>
      [...(m[1] as string).matchAll(/(\w+)\s*=/g)].map((x) => x[1] as string),
    ),
  ]);

  t.test('the saved searches are all there', async (t) => {
    t.ok(logsDashboard, 'the chart ships the DhakaCart logs dashboard');
    t.equal(logsDashboard?.templating.list.find((v: any) => v.type === 'datasource')?.query, 'loki', 'on the Loki data source');
    for (const title of ['Errors', 'All requests of one customer', 'Slow requests', '5xx by route', 'Login failures by IP']) {
      t.ok(queries.some((q) => q.panel.startsWith(title)), `saved search: ${title}`);
    }
  });

  // Offsets of syntax errors in a LogQL expression (none: it parses).
  const logqlErrors = (expr: string): number[] => {
    const errors: number[] = [];
    logql.parse(expr).iterate({ enter: (n) => void (n.type.isError && errors.push(n.from)) });
    return errors;
  };
  // Grafana replaces $variables before Loki sees the query: use the dashboard's
  // own defaults, and sample values for the built-in interval variables.
  const vars = new Map<string, string>([
    ['__auto', '1m'],
    ['__interval', '1m'],
    ['__range', '1h'],
  ]);
  for (const v of logsDashboard?.templating.list ?? []) if (v.type === 'textbox') vars.set(v.name, v.query || 'x');
  const interpolate = (expr: string) => expr.replace(/\$(\w+)/g, (m, name: string) => vars.get(name) ?? m);

  t.test('every LogQL expression parses (dashboard and runbook)', async (t) => {
    // Controls: the grammar does reject broken queries.
    t.ok(logqlErrors('{namespace="dhakacart"} | json | statusCode >>= 500').length > 0, 'control: a bad operator is rejected');
    t.ok(logqlErrors('sum by (route) (count_over_time({namespace="dhakacart"} | json [5m]').length > 0, 'control: an unclosed call is rejected');
    t.ok(logqlErrors('rate(http_requests_total[5m])').length > 0, 'control: PromQL without a log selector is rejected');
    for (const q of queries) {
      const expr = interpolate(q.expr);
      t.notMatch(expr, /\$\w/, `${q.panel}: every variable has a value`);
      t.same(logqlErrors(expr), [], `${q.panel}: ${expr}`);
    }
    // The runbook's table of saved searches: | in a table cell is written \|.
    const runbook = readFileSync(join(repo, 'docs', 'runbooks', 'observability.md'), 'utf8');
    const table = runbook.slice(runbook.indexOf('| search | LogQL |')).split('\n\n')[0] as string;
    const documented = [...table.matchAll(/^\| [^|]+ \| `([^`]+)`/gm)].map((m) => (m[1] as string).replaceAll('\\|', '|'));
    t.ok(documented.length >= 6, `${documented.length} searches in docs/runbooks/observability.md`);
    for (const expr of documented) t.same(logqlErrors(expr), [], `runbook: ${expr}`);
  });

  t.test('Alloy: few labels, never a user, request or client id', async (t) => {
    t.same([...streamLabels].sort(), ['app', 'component', 'container', 'level', 'namespace', 'pod']);
    for (const banned of ['userId', 'reqId', 'ip', 'url', 'route']) t.notOk(streamLabels.has(banned), `${banned} is not a label`);
    t.match(alloy, /loki\.source\.kubernetes "pods"[^]*forward_to\s*=\s*\[loki\.process\.pods\.receiver\]/, 'pod logs go through the JSON pipeline');
    t.match(alloy, /loki\.process "pods"[^]*forward_to\s*=\s*\[loki\.write\.lab\.receiver\]/, 'and on to Loki');
  });

  t.test('against the real API process: every field the pipeline and the searches read is in its log lines', async (t) => {
    const databaseUrl = await freshDatabase(t);
    const api = await startServerProcess(t, { ...(await apiProcessEnv(t, databaseUrl)), SHUTDOWN_DELAY_MS: '0' });
    const email = `logs-${randomUUID()}@example.test`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const userId = await ensureUser(databaseUrl, { email, password, name: 'Log Test', role: 'customer' });
    const post = (url: string, body: unknown) =>
      fetch(`${api.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await (await post('/v1/auth/login', { email, password: 'wrong' })).arrayBuffer();
    const session = (await (await post('/v1/auth/login', { email, password })).json()) as { accessToken: string };
    await (await fetch(`${api.url}/v1/orders`, { headers: { authorization: `Bearer ${session.accessToken}` } })).arrayBuffer();
    await (await fetch(`${api.url}/v1/products?limit=1`)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 300)); // the last lines reach stdout

    const lines = api.logs;
    const completed = lines.filter((l) => l.msg === 'request completed');
    t.ok(completed.length >= 4, `${completed.length} request lines`);
    const sample = completed[0] as Record<string, unknown>;
    t.type(sample.level, 'string', 'level is a name (error, warn, info), as the label and the searches expect');
    t.match(sample.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/, 'time is RFC 3339 with fractions (Alloy: RFC3339Nano)');
    t.match(alloy, /stage\.timestamp\s*\{\s*source\s*=\s*"time"\s*format\s*=\s*"RFC3339Nano"/, "Alloy parses the line's time as RFC 3339");
    for (const f of ['reqId', 'method', 'route', 'url', 'statusCode', 'responseTimeMs', 'service']) t.ok(f in sample, `request lines carry ${f}`);
    t.type(sample.statusCode, 'number', 'statusCode is a number (statusCode >= 500 compares numbers)');
    t.type(sample.responseTimeMs, 'number', 'responseTimeMs is a number');
    t.ok(completed.some((l) => l.userId === userId && l.route === '/v1/orders'), "a signed-in customer's request carries userId");
    t.ok(lines.some((l) => l.event === 'login_failed' && typeof l.ip === 'string'), 'failed logins carry event=login_failed and ip');

    // Alloy's stage.json reads these keys.
    const jsonKeys = [...alloy.matchAll(/stage\.json\s*\{\s*expressions\s*=\s*\{([^}]*)\}/g)].flatMap((m) =>
      [...(m[1] as string).matchAll(/=\s*"([^"]+)"/g)].map((x) => x[1] as string),
    );
    for (const k of jsonKeys) t.ok(k in sample, `Alloy's stage.json key ${k} is in the lines`);

    // Fields the LogQL searches filter or group by, after `| json`.
    const keys = new Set(lines.flatMap((l) => Object.keys(l)));
    for (const q of queries) {
      const selector = /^\{([^}]*)\}/.exec(q.expr.replace(/^[a-z_]+\(\d*,?\s*|sum by \([^)]*\) \(count_over_time\(/g, ''));
      for (const m of (selector?.[1] ?? '').matchAll(/(\w+)\s*(=~|!~|!=|=)/g)) t.ok(streamLabels.has(m[1] as string), `${q.panel}: stream label ${m[1]} is set by Alloy`);
      const afterJson = q.expr.split('| json')[1];
      if (afterJson) {
        for (const m of afterJson.replace(/\[[^\]]*\]/g, '').matchAll(/\|\s*(\w+)\s*(=~|!~|!=|>=|<=|=|>|<)/g)) {
          t.ok(keys.has(m[1] as string), `${q.panel}: field ${m[1]} is in the API's lines`);
        }
      }
      for (const m of q.expr.matchAll(/by \((\w+)\)/g)) t.ok(keys.has(m[1] as string) || streamLabels.has(m[1] as string), `${q.panel}: grouped by ${m[1]}, which exists`);
    }
  });
}
