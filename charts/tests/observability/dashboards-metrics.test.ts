/**
 * Dashboards and metric names against the real thing: the chart ships the
 * dashboards as Grafana sidecar ConfigMaps; the real API process is scraped by
 * a real Prometheus that also runs the chart's rules; every dashboard query is
 * parsed and evaluated by that Prometheus; every metric an alert or a panel
 * reads is one the running API exposes, one our rules record, or one of the
 * listed exporter metrics (exporter-metrics.txt). The API's panels show data.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { apiProcessEnv, startServerProcess } from '@dhakacart/api/testing';
import {
  API_JOB,
  exporterMetrics,
  exposedMetricNames,
  metricNames,
  NAMESPACE,
  renderedDashboards,
  renderedRuleGroups,
  startPrometheus,
  until,
  toolsReady,
} from './lib.js';

if (toolsReady(t)) {
  const dashboards = await renderedDashboards();
  const groups = await renderedRuleGroups();
  // Prometheus dashboards only; the Loki one (logs.json) is checked by logs.test.ts.
  const panels = dashboards.flatMap((d) =>
    (d.json.panels as any[]).filter((p) => p.datasource?.type === 'prometheus').flatMap((p) => (p.targets ?? []).map((tg: any) => ({ dashboard: d.json.title as string, panel: p.title as string, expr: tg.expr as string }))),
  );
  // Grafana fills these in before the query reaches Prometheus.
  const asGrafanaSends = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('${datasource}', '');

  t.test('the chart ships the shop health and API dashboards to Grafana', async (t) => {
    const uids = dashboards.map((d) => d.json.uid);
    t.same(uids.sort(), ['dhakacart-api-red', 'dhakacart-data', 'dhakacart-logs', 'dhakacart-shop-health']);
    for (const d of dashboards) {
      t.equal(d.labels.grafana_dashboard, '1', `${d.name}: labelled for Grafana's sidecar`);
      t.ok(d.json.title && d.json.panels.length >= 6, `${d.json.title}: ${d.json.panels.length} panels`);
      for (const p of d.json.panels) t.ok(p.targets?.length && p.targets.every((x: any) => x.expr), `${d.json.title} / ${p.title}: has queries`);
    }
    const stats = dashboards.find((d) => d.json.uid === 'dhakacart-shop-health')?.json.panels.filter((p: any) => p.type === 'stat') ?? [];
    for (const p of stats) t.ok(p.fieldConfig.defaults.thresholds?.steps?.length >= 1, `shop health / ${p.title}: coloured by thresholds`);
  });

  t.test('with the real API scraped by a real Prometheus running the chart\'s rules', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'dc-dash-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const api = await startServerProcess(t, { ...(await apiProcessEnv(t)), SHUTDOWN_DELAY_MS: '0' });
    // Some shopper traffic and a failed login, so the labelled counters have series;
    // /readyz as the kubelet calls it (it refreshes dhakacart_db_up).
    await (await fetch(`${api.url}/readyz`)).arrayBuffer();
    for (let i = 0; i < 5; i++) await (await fetch(`${api.url}/v1/products?limit=2`)).arrayBuffer();
    await (await fetch(`${api.url}/v1/products/00000000-0000-0000-0000-000000000000`)).arrayBuffer();
    await (
      await fetch(`${api.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong-password' }),
      })
    ).arrayBuffer();
    const exposed = exposedMetricNames(await (await fetch(`${api.url}/metrics`)).text());
    t.ok(exposed.has('http_request_duration_seconds_bucket'), `the API exposes ${exposed.size} metric names`);

    writeFileSync(join(dir, 'rules.yml'), stringify({ groups }));
    const prom = await startPrometheus(
      t,
      dir,
      stringify({
        global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
        rule_files: [join(dir, 'rules.yml')],
        scrape_configs: [
          { job_name: API_JOB, static_configs: [{ targets: [api.url.replace('http://', '')], labels: { namespace: NAMESPACE, pod: 'dhakacart-api-0' } }] },
        ],
      }),
    );
    const query = async (expr: string) => (await (await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as any;

    t.test('every metric an alert or a panel reads exists', async (t) => {
      const exporters = exporterMetrics();
      const recorded = new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
      const apiOwned = /^(dhakacart_|http_|nodejs_|process_)/;
      for (const name of exporters) t.notOk(apiOwned.test(name), `${name}: the API's metrics are not whitelisted in the exporter list`);
      const uses = [
        ...groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr }))),
        ...panels.map((p) => ({ where: `${p.dashboard} / ${p.panel}`, expr: p.expr })),
      ];
      let checked = 0;
      for (const u of uses) {
        for (const m of metricNames(u.expr)) {
          checked++;
          const ok = apiOwned.test(m) ? exposed.has(m) : exposed.has(m) || recorded.has(m) || exporters.has(m);
          if (!ok) t.fail(`${u.where}: ${m} is neither exposed by the API, recorded by our rules nor a listed exporter metric`);
        }
      }
      t.ok(checked > 50, `${checked} metric references checked`);
    });

    t.test('every dashboard query parses and evaluates in Prometheus', async (t) => {
      for (const p of panels) {
        const res = await query(asGrafanaSends(p.expr));
        t.equal(res.status, 'success', `${p.dashboard} / ${p.panel}: ${res.error ?? 'ok'}`);
      }
    });

    t.test("the API's panels show the real traffic", async (t) => {
      await until('two scrapes with traffic in them', 20_000, async () => {
        const r = await query(`sum by (route) (rate(http_request_duration_seconds_count{job="${API_JOB}"}[1m]))`);
        return r.data?.result?.length ? true : undefined;
      });
      const show = async (title: string) => {
        const targets = panels.filter((x) => x.panel === title);
        if (!targets.length) throw new Error(`no panel ${title}`);
        const results = await Promise.all(targets.map(async (p) => (await query(asGrafanaSends(p.expr))).data.result));
        return results.flat() as { metric: Record<string, string>; value: [number, string] }[];
      };
      const byRoute = await show('Rate: requests per second by route');
      t.ok(byRoute.some((s) => s.metric.route === '/v1/products'), 'requests by route include /v1/products');
      t.equal((await show('API pods up'))[0]?.value[1], '1', 'one API pod up');
      t.equal((await show('Database (as the API sees it)'))[0]?.value[1], '1', 'database up');
      t.equal((await show('Redis'))[0]?.value[1], '1', 'Redis up');
      const fails = await show('Rate limited and failed logins per second');
      t.ok(fails.length >= 1, 'the failed login shows up');
      const slo = await until('recording rules evaluated', 10_000, async () => ((await show('SLO burn: error and slow ratios')).length ? true : undefined));
      t.ok(slo, 'SLO ratios are recorded from the real metrics');
    });
  });
}
