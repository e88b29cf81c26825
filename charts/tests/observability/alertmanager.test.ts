/**
 * Alertmanager routing (ansible/roles/platform/files/alertmanager.yaml): amtool
 * accepts it, every alert of the chart reaches the receiver its severity calls
 * for, receivers keep their secrets in files, and a real Alertmanager mutes the
 * pod alerts of a node that is down (inhibition).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@dhakacart/devstack';
import t from 'tap';
import { parse, stringify } from 'yaml';
import {
  ALERTMANAGER_CONFIG,
  alerts,
  exec,
  localAlertmanagerConfig,
  renderedRuleGroups,
  repo,
  startAlertmanager,
  until,
  webhookReceiver,
  toolsReady,
} from './lib.js';

if (toolsReady(t)) {
  const config = parse(readFileSync(ALERTMANAGER_CONFIG, 'utf8'));

  t.test('amtool check-config accepts it', async (t) => {
    const { stdout } = await exec('amtool', ['check-config', ALERTMANAGER_CONFIG]);
    t.match(stdout, /SUCCESS/);
  });

  /** Receivers amtool picks for a label set. */
  async function routeOf(labels: Record<string, string>): Promise<string[]> {
    const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const { stdout } = await exec('amtool', ['config', 'routes', 'test', `--config.file=${ALERTMANAGER_CONFIG}`, ...args]);
    return stdout.trim().split(/[\s,]+/).filter(Boolean).sort();
  }

  t.test('every alert of the chart reaches the receiver its severity calls for', async (t) => {
    const expected: Record<string, string> = { critical: 'oncall', warning: 'chat' };
    for (const rule of alerts(await renderedRuleGroups())) {
      const severity = rule.labels?.severity as string;
      t.same(await routeOf({ alertname: rule.alert as string, severity, namespace: 'dhakacart' }), [expected[severity]], `${rule.alert} (${severity}) -> ${expected[severity]}`);
    }
    t.same(await routeOf({ alertname: 'Watchdog', severity: 'none' }), ['null'], "kube-prometheus-stack's heartbeat goes nowhere");
    t.same(await routeOf({ alertname: 'KubeletTooManyPods', severity: 'info' }), ['chat'], 'anything else still reaches chat');
  });

  t.test('critical pages by chat and email, warnings go to chat; secrets only as files', async (t) => {
    const receivers = Object.fromEntries(config.receivers.map((r: any) => [r.name, r]));
    t.ok(receivers.oncall.slack_configs?.length && receivers.oncall.email_configs?.length, 'oncall: chat + email');
    t.ok(receivers.chat.slack_configs?.length && !receivers.chat.email_configs, 'chat: chat only');
    for (const r of config.receivers) {
      for (const c of [...(r.slack_configs ?? []), ...(r.email_configs ?? [])]) t.equal(c.send_resolved, true, `${r.name}: says when it is resolved`);
    }
    const text = readFileSync(ALERTMANAGER_CONFIG, 'utf8');
    t.notMatch(text, /^\s*(slack_)?api_url:|auth_password:|^\s*url:|bot_token:|hooks\.slack\.com/m, 'no inline secret or webhook URL');
    t.match(config.global.slack_api_url_file, /^\/etc\/alertmanager\/secrets\/alertmanager-receivers\//);
    t.match(config.global.smtp_auth_password_file, /^\/etc\/alertmanager\/secrets\/alertmanager-receivers\//);
    t.same(config.route.group_by, ['alertname', 'namespace'], 'grouped by alert and namespace');
  });

  t.test('Ansible installs this file and creates the secret files it reads', async (t) => {
    const platform = join(repo, 'ansible', 'roles', 'platform');
    const values = readFileSync(join(platform, 'templates', 'values', 'kube-prometheus-stack.yaml.j2'), 'utf8');
    t.match(values, /config: \{\{ lookup\('ansible\.builtin\.file', 'alertmanager\.yaml'\)/, 'kube-prometheus-stack values load alertmanager.yaml');
    t.match(values, /secrets: \[alertmanager-receivers\]/, 'and mount the Secret alertmanager-receivers');
    // The template is Jinja; only its alertmanager-receivers document is read as YAML.
    const doc = readFileSync(join(platform, 'templates', 'manifests', 'platform-secrets.yaml.j2'), 'utf8')
      .split(/^---$/m)
      .find((d) => /name: alertmanager-receivers$/m.test(d));
    const secrets = doc ? parse(doc) : undefined;
    t.equal(secrets?.metadata?.namespace, 'monitoring', 'the Secret is in the monitoring namespace');
    const text = readFileSync(ALERTMANAGER_CONFIG, 'utf8');
    const files = [...text.matchAll(/\/etc\/alertmanager\/secrets\/alertmanager-receivers\/([\w.-]+)/g)].map((m) => m[1] as string);
    t.ok(files.length >= 2, `secret files referenced: ${files.join(', ')}`);
    for (const f of files) t.ok(f in (secrets?.stringData ?? {}), `the Secret has key ${f}`);
    t.match(JSON.stringify(secrets?.stringData), /^[^]*\{\{ alertmanager_[a-z_]+ \| default\(''\) \}\}[^]*$/, 'values come from the vault');
  });

  t.test("Prometheus scrapes cert-manager (the certificate alerts' source): promtool accepts the scrape job", async (t) => {
    const values = readFileSync(join(repo, 'ansible', 'roles', 'platform', 'templates', 'values', 'kube-prometheus-stack.yaml.j2'), 'utf8');
    // Jinja expressions stand in as plain strings; the scrape job itself has none.
    const parsed = parse(values.replace(/\{\{[^}]*\}\}/g, 'jinja'));
    const jobs = parsed.prometheus.prometheusSpec.additionalScrapeConfigs as any[];
    t.ok(jobs?.some((j) => j.job_name === 'cert-manager'), 'a cert-manager scrape job');
    const dir = mkdtempSync(join(tmpdir(), 'dc-promcfg-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'prometheus.yml');
    // Debian's promtool is built without Kubernetes discovery: the role/namespace
    // block is checked by eye, the rest of the job (relabelling) by promtool.
    const job = jobs.find((j) => j.job_name === 'cert-manager');
    t.same(job.kubernetes_sd_configs, [{ role: 'pod', namespaces: { names: ['cert-manager'] } }], 'pods in the cert-manager namespace');
    const { kubernetes_sd_configs: _sd, ...rest } = job;
    writeFileSync(file, stringify({ scrape_configs: [{ ...rest, static_configs: [{ targets: ['127.0.0.1:9402'] }] }] }));
    const { stdout } = await exec('promtool', ['check', 'config', file]);
    t.match(stdout, /SUCCESS/);
  });

  t.test('a real Alertmanager: a node that is down mutes the pod alerts on it, not elsewhere', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'dc-am-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const chat = await webhookReceiver(t);
    const am = await startAlertmanager(t, dir, localAlertmanagerConfig(dir, `${chat.url}/chat`, await freePort(), true));
    const startsAt = new Date().toISOString();
    const alert = (labels: Record<string, string>) => ({ labels, startsAt, annotations: { summary: 'test' } });
    const posted = await fetch(`${am}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'DhakaCartNodeNotReady', severity: 'critical', node: 'node-1', condition: 'Ready', status: 'true' }),
        alert({ alertname: 'DhakaCartPodCrashLooping', severity: 'warning', namespace: 'dhakacart', pod: 'api-1', container: 'api', node: 'node-1' }),
        alert({ alertname: 'DhakaCartPodCrashLooping', severity: 'warning', namespace: 'dhakacart', pod: 'api-2', container: 'api', node: 'node-2' }),
      ]),
    });
    t.equal(posted.status, 200);
    const state = await until('inhibition to settle', 15_000, async () => {
      const list = (await (await fetch(`${am}/api/v2/alerts`)).json()) as any[];
      return list.length === 3 && list.some((a) => a.status.inhibitedBy.length) ? list : undefined;
    });
    const pod = (name: string) => state.find((a) => a.labels.pod === name);
    t.equal(pod('api-1').status.state, 'suppressed', 'the pod on the dead node is muted');
    t.equal(pod('api-2').status.state, 'active', 'a pod on a healthy node still alerts');
    // And the notifications: the page and the live pod's warning reach chat, the muted one never does.
    await until('notifications', 20_000, () => (chat.received.length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    const texts = chat.received.map((r) => JSON.stringify(r.body));
    t.ok(texts.some((x) => x.includes('DhakaCartNodeNotReady') && x.includes('#dhakacart-oncall')), 'node down paged in the on-call channel');
    t.ok(texts.some((x) => x.includes('api-2') || (x.includes('DhakaCartPodCrashLooping') && x.includes('#dhakacart-alerts'))), 'the healthy node\'s crash loop reached chat');
    t.notOk(texts.some((x) => x.includes('api-1')), 'nothing about the muted pod was sent');
  });
}
