/**
 * The alert rules as the cluster gets them (rendered by the chart): promtool
 * accepts them, every alert has a severity, a plain summary and a runbook
 * section that exists, every metric they read is a known one, and promtool's
 * unit tests (rules.test.yaml, rules-slow-burn.test.yaml) show each alert
 * firing when it should and staying silent when it should.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { alerts, exec, exporterMetrics, markdownAnchors, metricNames, renderedRuleGroups, repo, toolsReady } from './lib.js';

// make test gives each file 300 s (TAP_TIMEOUT); run alone, tap's default is 30 s.
if (toolsReady(t, 240_000)) {
  const dir = mkdtempSync(join(tmpdir(), 'dc-rules-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const groups = await renderedRuleGroups();
  const rulesFile = join(dir, 'rules.yaml');
  writeFileSync(rulesFile, stringify({ groups }));
  const unitTestFiles = ['rules.test.yaml', 'rules-slow-burn.test.yaml', 'rules-weekly.test.yaml', 'rules-backup.test.yaml'];

  t.test('promtool check rules accepts the rendered rules (syntax, templates)', async (t) => {
    const { stdout } = await exec('promtool', ['check', 'rules', rulesFile]);
    t.match(stdout, /SUCCESS: \d+ rules found/);
    t.ok(alerts(groups).length >= 20, `${alerts(groups).length} alerts`);
  });

  t.test('every alert has a severity, a summary, and a runbook section that exists', async (t) => {
    const anchors = markdownAnchors(join(repo, 'docs', 'runbooks', 'alerts.md'));
    const names = new Set<string>();
    for (const rule of alerts(groups)) {
      const name = rule.alert as string;
      t.notOk(names.has(name) && rule.labels?.severity === undefined, `${name}: unique or distinguished by severity`);
      names.add(name);
      t.match(rule.labels?.severity, /^(critical|warning)$/, `${name}: severity critical or warning`);
      t.ok((rule.annotations?.summary ?? '').length > 20, `${name}: has a summary`);
      t.ok(rule.annotations?.description, `${name}: has a description`);
      const url = /\/docs\/runbooks\/alerts\.md#(.+)$/.exec(rule.annotations?.runbook_url ?? '');
      t.ok(url && anchors.has(url[1] as string), `${name}: runbook_url ${rule.annotations?.runbook_url} has a section in docs/runbooks/alerts.md`);
    }
    // The catalogue lists every alert.
    const catalogue = readFileSync(join(repo, 'docs', 'runbooks', 'alerts.md'), 'utf8');
    for (const name of names) t.ok(catalogue.includes(name), `docs/runbooks/alerts.md mentions ${name}`);
  });

  t.test('every metric the rules read is the API\'s, a listed exporter\'s, or recorded by our rules', async (t) => {
    const exporters = exporterMetrics();
    const recorded = new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
    // The API's names are checked against a real scrape in metric-names.test.ts.
    const api = /^(http_request_duration_seconds_(bucket|count|sum)|dhakacart_[a-z_]+)$/;
    for (const rule of groups.flatMap((g) => g.rules)) {
      for (const metric of metricNames(rule.expr)) {
        t.ok(exporters.has(metric) || recorded.has(metric) || api.test(metric), `${rule.alert ?? rule.record}: ${metric} is known`);
      }
    }
    t.same(metricNames('sum by (pod) (rate(x_total{a="b"}[5m])) / on (pod) group_left (node) kube_pod_info > 0.5'), ['x_total', 'kube_pod_info']);
  });

  // promtool compares annotations exactly when exp_annotations is left out, so
  // the unit tests run on a copy without them (annotations are checked above).
  const bare = join(dir, 'rules-bare.yaml');
  writeFileSync(
    bare,
    stringify({ groups: groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...r }) => r) })) }),
  );

  t.test('each alert has a unit test where it fires and one where it stays silent', async (t) => {
    const fires = new Set<string>();
    const silent = new Set<string>();
    for (const file of unitTestFiles) {
      const spec = parse(readFileSync(join(import.meta.dirname, file), 'utf8'));
      for (const test of spec.tests) {
        for (const a of test.alert_rule_test ?? []) (a.exp_alerts?.length ? fires : silent).add(a.alertname);
      }
    }
    for (const rule of alerts(groups)) {
      t.ok(fires.has(rule.alert as string), `${rule.alert}: a case where it fires`);
      t.ok(silent.has(rule.alert as string), `${rule.alert}: a case where it stays silent`);
    }
  });

  t.test('promtool test rules: every unit test passes', { timeout: 150_000 }, async (t) => {
    // All files at once: promtool is single-threaded and each takes ~12 s.
    const results = await Promise.all(
      unitTestFiles.map(async (file) => {
        const spec = readFileSync(join(import.meta.dirname, file), 'utf8').replace('[RENDERED_RULES]', `[${JSON.stringify(bare)}]`);
        const path = join(dir, file);
        writeFileSync(path, spec);
        try {
          const { stdout } = await exec('promtool', ['test', 'rules', path], { maxBuffer: 16 * 1024 * 1024 });
          return { file, ok: true, out: stdout };
        } catch (err) {
          const e = err as { stdout?: string; stderr?: string };
          return { file, ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
        }
      }),
    );
    for (const r of results) t.ok(r.ok && /SUCCESS/.test(r.out), `promtool test rules ${r.file}`, { diagnostic: !r.ok, output: r.out.slice(0, 8000) });
  });
}
