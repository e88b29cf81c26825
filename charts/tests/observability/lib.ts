/**
 * Shared by the observability suites: render the chart the way the cluster gets
 * it, pull out its rules and dashboards, and name the metrics a PromQL
 * expression reads.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { freePort, spawnServer, stopChild, waitFor } from '@dhakacart/devstack';
import type { Test } from 'tap';

export const repo = join(import.meta.dirname, '..', '..', '..');
export const helm = join(repo, '.cache', 'charts', 'bin', 'helm');
export const NAMESPACE = 'dhakacart';
export const API_JOB = 'dhakacart-api';

export const exec = promisify(execFile);

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

function haveTools(): string | undefined {
  if (!existsSync(helm)) return `${helm} missing: run make setup (bash charts/tests/setup.sh)`;
  for (const tool of ['/usr/bin/promtool', '/usr/bin/amtool', '/usr/bin/prometheus', '/usr/bin/prometheus-alertmanager']) {
    if (!existsSync(tool)) return `${tool} missing: run make setup (apt packages prometheus, prometheus-alertmanager)`;
  }
  return undefined;
}

/**
 * Each suite's preamble: a tap timeout long enough for real servers, and without the tools a
 * failure that says what to install (never a silent pass). True when the suite may run.
 */
export function toolsReady(t: Test, minTimeoutMs = 120_000): boolean {
  t.setTimeout(Math.max(Number(process.env.TAP_TIMEOUT ?? 0) * 1000, minTimeoutMs));
  const missing = haveTools();
  if (!missing) return true;
  t.fail(missing);
  t.end();
  return false;
}

/** Every object of `helm template dhakacart charts/dhakacart` (the app chart, default values). */
export async function renderChart(extraArgs: string[] = []): Promise<Record<string, any>[]> {
  const { stdout } = await exec(
    helm,
    ['template', 'dhakacart', join(repo, 'charts', 'dhakacart'), '-n', NAMESPACE, ...extraArgs],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return parseAllDocuments(stdout)
    .map((d) => d.toJS())
    .filter(Boolean);
}

export async function renderedRuleGroups(): Promise<RuleGroup[]> {
  const objs = await renderChart();
  return objs.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups as RuleGroup[]);
}

export async function renderedDashboards(): Promise<{ name: string; file: string; json: any; labels: Record<string, string> }[]> {
  const objs = await renderChart();
  return objs
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')
    .flatMap((o) =>
      Object.entries(o.data as Record<string, string>).map(([file, text]) => ({
        name: o.metadata.name,
        file,
        json: JSON.parse(text),
        labels: o.metadata.labels,
      })),
    );
}

export function alerts(groups: RuleGroup[]): Rule[] {
  return groups.flatMap((g) => g.rules.filter((r) => r.alert));
}

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/**
 * Metric names a PromQL expression selects. Strings, label matchers, ranges and
 * grouping clauses are removed first; what is left that is an identifier and
 * not a function call or keyword is a metric. (The expression's syntax itself
 * is checked by promtool/Prometheus: this only names what it reads.)
 */
export function metricNames(expr: string): string[] {
  let e = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  e = e.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  e = e.replace(/\$\{?\w+\}?/g, ' '); // Grafana variables ($__rate_interval, ${namespace})
  const names = new Set<string>();
  for (const m of e.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![a-zA-Z0-9_:]|\s*\()/g)) {
    const name = m[1] as string;
    if (!PROMQL_KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Exporter metrics the alerts and dashboards may use (kept with their sources). */
export function exporterMetrics(): Set<string> {
  const text = readFileSync(join(import.meta.dirname, 'exporter-metrics.txt'), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}

/** GitHub-style anchors of a Markdown file's headings. */
export function markdownAnchors(path: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^#+\s+(.*)$/.exec(line);
    if (m) anchors.add((m[1] as string).toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-'));
  }
  return anchors;
}

/** Metric names a Prometheus text exposition declares (histograms expanded to their series). */
export function exposedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_count', '_sum']) names.add(name + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1] as string);
  }
  return names;
}

// --------------------------------------------------------------------------- real servers

export const ALERTMANAGER_CONFIG = join(repo, 'ansible', 'roles', 'platform', 'files', 'alertmanager.yaml');

export interface Received {
  path: string;
  body: any;
  at: number;
}

/** A local chat/webhook endpoint: records every JSON POST it gets. */
export async function webhookReceiver(t: Test): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '', body: JSON.parse(body), at: Date.now() });
      } catch {
        received.push({ path: req.url ?? '', body, at: Date.now() });
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, received };
}

/**
 * The project's Alertmanager config made runnable here: the receivers' secret
 * files point at files in `dir` (chat URL = the local receiver), email goes to a
 * closed local port, and the waits are shortened when asked.
 */
export function localAlertmanagerConfig(
  dir: string,
  chatUrl: string,
  closedPort: number,
  fast = false,
): string {
  writeFileSync(join(dir, 'chat-webhook-url'), chatUrl);
  writeFileSync(join(dir, 'smtp-password'), 'not-a-real-password');
  let text = readFileSync(ALERTMANAGER_CONFIG, 'utf8')
    .replaceAll('/etc/alertmanager/secrets/alertmanager-receivers', dir)
    .replace(/smtp_smarthost: \S+/, `smtp_smarthost: 127.0.0.1:${closedPort}`)
    .replace('smtp_require_tls: true', 'smtp_require_tls: false');
  if (fast) text = text.replace(/group_wait: \S+/g, 'group_wait: 1s').replace(/group_interval: \S+/g, 'group_interval: 1s');
  return text;
}

/** A Prometheus-family daemon on a free loopback port with a config file, stopped with the test. */
async function startDaemon(
  t: Test,
  dir: string,
  name: 'alertmanager' | 'prometheus',
  configText: string,
  args: (port: number, config: string) => string[],
  readyWithinMs: number,
): Promise<string> {
  const port = await freePort();
  const config = join(dir, `${name}.yml`);
  writeFileSync(config, configText);
  const binary = name === 'alertmanager' ? '/usr/bin/prometheus-alertmanager' : '/usr/bin/prometheus';
  const child = spawnServer(binary, [...args(port, config), '--log.level=warn'], { logPrefix: `[${name}]` });
  t.teardown(() => stopChild(child));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(name, async () => (await fetch(`${url}/-/ready`)).ok, readyWithinMs, child);
  return url;
}

export function startAlertmanager(t: Test, dir: string, configText: string): Promise<string> {
  return startDaemon(
    t,
    dir,
    'alertmanager',
    configText,
    (port, config) => [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    20_000,
  );
}

export function startPrometheus(t: Test, dir: string, configText: string): Promise<string> {
  return startDaemon(
    t,
    dir,
    'prometheus',
    configText,
    (port, config) => [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--rules.alert.resend-delay=1s',
    ],
    30_000,
  );
}

/** Poll until `probe` returns a value (not undefined), at most `ms`. */
export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
