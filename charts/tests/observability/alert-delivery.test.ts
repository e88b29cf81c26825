/**
 * End to end, on real processes: the API (its real entry point), Prometheus
 * scraping it every 2 s with the chart's own rules, and Alertmanager with
 * the project's routing sending to a local chat webhook. Kill the API: the
 * DhakaCartApiDown page arrives in the on-call channel. Start it again: the
 * "resolved" message arrives. Only the `for:` of that rule is shortened (2m ->
 * 6s) and Alertmanager's group waits (-> 1s); expressions, labels and routes are
 * the project's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@dhakacart/devstack';
import t from 'tap';
import { stringify } from 'yaml';
import { apiProcessEnv, startServerProcess } from '@dhakacart/api/testing';
import {
  API_JOB,
  localAlertmanagerConfig,
  NAMESPACE,
  renderedRuleGroups,
  startAlertmanager,
  startPrometheus,
  until,
  webhookReceiver,
  toolsReady,
} from './lib.js';

if (toolsReady(t)) {
  t.test('API killed -> DhakaCartApiDown delivered to on-call chat; restarted -> resolved', async (t) => {
    const started = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'dc-e2e-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));

    const env = { ...(await apiProcessEnv(t)), SHUTDOWN_DELAY_MS: '0' };
    let api = await startServerProcess(t, env);
    // Targets through file discovery, as pods come and go: a restarted API is a new pod at a new address.
    const targets = join(dir, 'api-targets.json');
    const setTarget = (url: string, pod: string) =>
      writeFileSync(targets, JSON.stringify([{ targets: [url.replace('http://', '')], labels: { namespace: NAMESPACE, pod } }]));
    setTarget(api.url, 'dhakacart-api-0');

    // The chart's rules, unchanged but for DhakaCartApiDown's `for:`.
    const groups = (await renderedRuleGroups()).map((g) => ({
      ...g,
      rules: g.rules.map((r) => (r.alert === 'DhakaCartApiDown' ? { ...r, for: '6s' } : r)),
    }));
    t.ok(groups.some((g) => g.rules.some((r) => r.alert === 'DhakaCartApiDown')), 'the chart has DhakaCartApiDown');
    writeFileSync(join(dir, 'rules.yml'), stringify({ groups }));

    const chat = await webhookReceiver(t);
    const am = await startAlertmanager(t, dir, localAlertmanagerConfig(dir, `${chat.url}/chat`, await freePort(), true));
    // Labels as the Prometheus Operator gives a ServiceMonitor target: job = Service name, namespace.
    const prom = await startPrometheus(
      t,
      dir,
      stringify({
        // A generous scrape timeout: on a loaded CI machine a slow scrape is not the outage under test.
        global: { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '1s' },
        rule_files: [join(dir, 'rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [am.replace('http://', '')] }] }] },
        scrape_configs: [
          { job_name: API_JOB, file_sd_configs: [{ files: [targets], refresh_interval: '1s' }] },
        ],
      }),
    );

    const query = async (q: string) => {
      const res = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(q)}`);
      return ((await res.json()) as any).data.result as { metric: Record<string, string>; value: [number, string] }[];
    };
    await until('the API scraped as up', 20_000, async () => ((await query(`up{job="${API_JOB}"}`))[0]?.value[1] === '1' ? true : undefined));
    // Real traffic, so the request metrics exist too.
    await fetch(`${api.url}/v1/products?limit=1`);
    await until('request metrics scraped', 10_000, async () => ((await query('http_request_duration_seconds_count')).length ? true : undefined));
    t.same(chat.received, [], `nothing is sent while the shop is healthy: ${JSON.stringify(chat.received).slice(0, 2000)}`);

    // Break it.
    const killedAt = Date.now();
    api.child.kill('SIGKILL');
    await api.exit();
    const firing = await until('DhakaCartApiDown delivered', 45_000, () =>
      chat.received.find((r) => JSON.stringify(r.body).includes('DhakaCartApiDown') && JSON.stringify(r.body).includes('FIRING')),
    );
    t.equal(firing.path, '/chat', 'delivered through the chat webhook');
    t.equal(firing.body.channel, '#dhakacart-oncall', 'critical: the on-call channel');
    t.match(firing.body.attachments?.[0]?.title, /^\[FIRING:1\] DhakaCartApiDown/, 'says what fired');
    t.comment(`alert delivered ${((firing.at - killedAt) / 1000).toFixed(1)} s after the kill`);

    // Recover: a new API process (a new pod, at a new address).
    api = await startServerProcess(t, env);
    setTarget(api.url, 'dhakacart-api-1');
    const restartedAt = Date.now();
    const resolved = await until('resolved notification', 45_000, () =>
      chat.received.find((r) => r.at >= restartedAt && JSON.stringify(r.body).includes('RESOLVED') && JSON.stringify(r.body).includes('DhakaCartApiDown')),
    );
    t.equal(resolved.body.channel, '#dhakacart-oncall');
    t.match(resolved.body.attachments?.[0]?.title, /^\[RESOLVED\] DhakaCartApiDown/);
    t.comment(`resolved delivered ${((resolved.at - restartedAt) / 1000).toFixed(1)} s after the restart`);
    // Alertmanager knows it is over too.
    const active = (await (await fetch(`${am}/api/v2/alerts?active=true`)).json()) as any[];
    t.notOk(active.some((a) => a.labels.alertname === 'DhakaCartApiDown'), 'no active DhakaCartApiDown left');
    t.ok(Date.now() - started < 90_000, `whole scenario within 90 s (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
}
