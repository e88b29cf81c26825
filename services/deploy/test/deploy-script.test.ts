/**
 * deploy.sh and rollback.sh (make deploy / make rollback), the scripts the workflows call, run
 * for real against a stand-in helm that keeps a release history the way Helm does (revisions,
 * deployed/superseded/failed, --rollback-on-failure), a local shop for the smoke test, and a
 * local webhook for the notifications. Each failure path must roll back and say so; the live
 * versions of these paths run on the local Kubernetes (docs/runbooks/deploy.md).
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..', '..');
const scratch = join(root, '.cache', 'deploy-test', `script-${process.pid}`);
rmSync(scratch, { recursive: true, force: true });
mkdirSync(join(scratch, 'state'), { recursive: true });

// Helm as far as the scripts use it: history -o json, upgrade --install (--rollback-on-failure),
// rollback, test. FAIL_UPGRADE / FAIL_TEST files make those fail.
const fakeHelm = join(scratch, 'helm');
writeFileSync(
  fakeHelm,
  `#!/usr/bin/env python3
import json, os, sys
state = ${JSON.stringify(join(scratch, 'state'))}
hist_file = os.path.join(state, "history.json")
hist = json.load(open(hist_file)) if os.path.exists(hist_file) else []
args = sys.argv[1:]
open(os.path.join(state, "calls"), "a").write(" ".join(args) + "\\n")
def save(): json.dump(hist, open(hist_file, "w"))
def add(status, desc):
    for r in hist:
        if r["status"] == "deployed": r["status"] = "superseded"
    hist.append({"revision": len(hist) + 1, "status": status, "description": desc})
cmd = args[0]
if cmd == "history":
    if not hist: sys.stderr.write("Error: release: not found\\n"); sys.exit(1)
    print(json.dumps(hist)); sys.exit(0)
if cmd == "get" and args[1] == "values":
    print(open(os.path.join(state, "values.json")).read()); sys.exit(0)
if cmd == "upgrade":
    files = [args[i + 1] for i, a in enumerate(args) if a == "-f"]
    if not os.path.exists(os.path.join(state, "FAIL_UPGRADE")):
        open(os.path.join(state, "values.json"), "w").write(open(files[-1]).read())
    if os.path.exists(os.path.join(state, "FAIL_UPGRADE")):
        prev = [r for r in hist if r["status"] == "deployed"]
        hist.append({"revision": len(hist) + 1, "status": "failed", "description": "Upgrade failed"})
        if prev and "--rollback-on-failure" in args: add("deployed", "Rollback to %d" % prev[-1]["revision"])
        save()
        print("Error: UPGRADE FAILED: release dhakacart failed, and has been rolled back due to rollback-on-failure being set: context deadline exceeded")
        sys.exit(1)
    add("deployed", "Upgrade complete"); save(); print("Release \\"dhakacart\\" has been upgraded. Happy Helming!"); sys.exit(0)
if cmd == "rollback":
    add("deployed", "Rollback to " + args[2]); save(); print("Rollback was a success! Happy Helming!"); sys.exit(0)
if cmd == "test":
    if os.path.exists(os.path.join(state, "FAIL_TEST")): print("Phase: Failed"); sys.exit(1)
    print("Phase: Succeeded"); sys.exit(0)
sys.exit(2)
`,
);
chmodSync(fakeHelm, 0o755);

let shopBroken = false;
const shop = http.createServer((req, res) => {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><div id="root"></div>');
  } else if (req.url?.startsWith('/v1/products?')) {
    if (shopBroken) json(500, { error: 'broken' });
    else json(200, { items: [{ slug: 'walton-fridge' }] });
  } else if (req.url === '/v1/products/walton-fridge') json(200, { slug: 'walton-fridge' });
  else if (req.url === '/openapi.json') json(200, { paths: {} });
  else json(404, {});
});
const hooks: { text: string }[] = [];
const hook = http.createServer((req, res) => {
  let data = '';
  req.on('data', (d) => {
    data += d;
  });
  req.on('end', () => {
    hooks.push(JSON.parse(data));
    res.end('ok');
  });
});
shop.listen(0, '127.0.0.1');
hook.listen(0, '127.0.0.1');
await Promise.all([once(shop, 'listening'), once(hook, 'listening')]);
t.teardown(async () => {
  await new Promise((r) => shop.close(r));
  await new Promise((r) => hook.close(r));
  rmSync(scratch, { recursive: true, force: true });
});

const envFile = join(scratch, 'test.env');
writeFileSync(
  envFile,
  [
    'DEPLOY_RELEASE=dhakacart',
    'DEPLOY_NAMESPACE=dhakacart',
    'DEPLOY_CHART=charts/dhakacart',
    'DEPLOY_VALUES=charts/dhakacart/values-k8s.yaml',
    `DEPLOY_URL=http://127.0.0.1:${(shop.address() as AddressInfo).port}`,
    'DEPLOY_TIMEOUT=1m',
    'DEPLOY_SMOKE_SECONDS=2',
  ].join('\n'),
);
const pins = join(scratch, 'images.yml');
const digest = (c: string) => `sha256:${c.repeat(64)}`;
writeFileSync(
  pins,
  [
    `api: {repository: "ghcr.io/dhakacart/dhakacart/api", tag: "abc123", digest: "${digest('a')}"}`,
    `migrate: {repository: "ghcr.io/dhakacart/dhakacart/migrate", tag: "abc123", digest: "${digest('b')}"}`,
    `web: {repository: "ghcr.io/dhakacart/dhakacart/web", tag: "abc123", digest: "${digest('c')}"}`,
  ].join('\n'),
);

interface Run {
  code: number;
  out: string;
  calls: string[];
  report: {
    status: string;
    revision: number | null;
    previousRevision: number | null;
    stages: { name: string; ok: boolean }[];
    reason: string;
  };
  notice: string;
}

async function script(name: 'deploy.sh' | 'rollback.sh', extra: Record<string, string> = {}): Promise<Run> {
  rmSync(join(scratch, 'state', 'calls'), { force: true });
  const before = hooks.length;
  const r = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      'bash',
      [join(root, 'services/deploy/bin', name)],
      {
        cwd: root,
        env: {
          ...process.env,
          DEPLOY_ENV: 'test',
          DEPLOY_ENV_FILE: envFile,
          DEPLOY_HELM: fakeHelm,
          DEPLOY_OUT: join(scratch, 'out'),
          IMAGES: pins,
          DEPLOY_COMMIT: '0123456789abcdef0123456789abcdef01234567',
          NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
          NOTIFY_SMTP_URL: '',
          ...extra,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, out: stdout + stderr }),
    );
  });
  const calls = readFileSync(join(scratch, 'state', 'calls'), 'utf8')
    .trim()
    .split('\n');
  const report = JSON.parse(readFileSync(join(scratch, 'out', 'report.json'), 'utf8'));
  return {
    ...r,
    calls,
    report,
    notice: hooks
      .slice(before)
      .map((h) => h.text)
      .join('\n'),
  };
}

const setFault = (name: 'FAIL_UPGRADE' | 'FAIL_TEST', on: boolean) => {
  const f = join(scratch, 'state', name);
  if (on) writeFileSync(f, '');
  else rmSync(f, { force: true });
};

t.test('first deploy: upgrade --install with the digests, smoke, helm test, success announced', async (t) => {
  const r = await script('deploy.sh');
  t.equal(r.code, 0, r.out);
  const upgrade = r.calls.find((c) => c.startsWith('upgrade')) ?? '';
  t.match(
    upgrade,
    /^upgrade --install dhakacart charts\/dhakacart -f charts\/dhakacart\/values-k8s\.yaml -f \S+images\.values\.yaml --rollback-on-failure --wait --timeout 1m -n dhakacart$/,
  );
  const values = JSON.parse(readFileSync(join(scratch, 'out', 'images.values.yaml'), 'utf8'));
  t.same(values.api.image, { repository: 'ghcr.io/dhakacart/dhakacart/api', tag: 'abc123', digest: digest('a') });
  t.same(values.web.image, { repository: 'ghcr.io/dhakacart/dhakacart/web', tag: 'abc123', digest: digest('c') });
  t.same(
    values.migrate.image,
    { repository: 'ghcr.io/dhakacart/dhakacart/migrate', tag: 'abc123', digest: digest('b') },
    'the migrate Job runs the migrate image',
  );
  t.ok(
    r.calls.some((c) => c.startsWith('test dhakacart --logs')),
    'helm test ran',
  );
  t.equal(r.report.status, 'success');
  t.equal(r.report.revision, 1);
  t.same(
    r.report.stages.map((s) => s.name),
    ['deploy', 'smoke', 'helm-test'],
  );
  t.match(r.notice, /^:white_check_mark: \[test\] dhakacart deployed: 0123456789ab$/);
});

t.test('Helm rolls back by itself (pods never ready): exit 1, rolled_back announced', async (t) => {
  setFault('FAIL_UPGRADE', true);
  t.teardown(() => setFault('FAIL_UPGRADE', false));
  const r = await script('deploy.sh');
  t.equal(r.code, 1);
  t.notOk(
    r.calls.some((c) => c.startsWith('rollback')),
    'no second rollback: --rollback-on-failure did it',
  );
  t.equal(r.report.status, 'rolled_back');
  t.equal(r.report.previousRevision, 1);
  t.equal(r.report.revision, 3, 'revision 3 (the rollback) serves');
  t.match(r.report.reason, /helm upgrade failed and Helm rolled back.*context deadline exceeded/);
  t.match(r.notice, /deploy FAILED and was rolled back/);
});

t.test('smoke test fails after the rollout: rolled back to the serving revision', async (t) => {
  shopBroken = true;
  const r = await script('deploy.sh');
  shopBroken = false;
  t.equal(r.code, 1);
  t.ok(r.calls.includes('rollback dhakacart 3 --wait --timeout 1m -n dhakacart'), 'helm rollback to revision 3', { calls: r.calls });
  t.notOk(
    r.calls.some((c) => c.startsWith('test')),
    'helm test is not reached',
  );
  t.equal(r.report.status, 'rolled_back');
  t.match(r.report.reason, /smoke test through the ingress failed.*rolled back to revision 3/);
  t.same(
    r.report.stages.map((s) => `${s.name}:${s.ok}`),
    ['deploy:true', 'smoke:false', 'rollback:true', 'smoke-after-rollback:false'],
    'the shop stand-in was healed only after the run: the report says the rollback did not cure it',
  );
});

t.test('helm test fails after the rollout: rolled back, announced', async (t) => {
  setFault('FAIL_TEST', true);
  t.teardown(() => setFault('FAIL_TEST', false));
  const r = await script('deploy.sh');
  t.equal(r.code, 1);
  t.ok(r.calls.some((c) => /^rollback dhakacart \d+ --wait/.test(c)));
  t.match(r.report.reason, /helm test failed after the rollout; rolled back to revision \d+, which passes the smoke test/);
  t.match(r.notice, /deploy FAILED and was rolled back/);
});

t.test('make rollback REVISION=N: back to N, checked, announced; unknown N refused', async (t) => {
  const r = await script('rollback.sh', { REVISION: '1', ROLLBACK_REASON: 'drill' });
  t.equal(r.code, 0, r.out);
  t.ok(r.calls.includes('rollback dhakacart 1 --wait --timeout 1m -n dhakacart'));
  t.equal(r.report.status, 'manual_rollback');
  t.match(r.notice, /:rewind: \[test\] dhakacart rolled back by hand/);

  const bad = await new Promise<number>((resolve) =>
    execFile(
      'bash',
      [join(root, 'services/deploy/bin/rollback.sh')],
      {
        cwd: root,
        env: {
          ...process.env,
          DEPLOY_ENV: 'test',
          DEPLOY_ENV_FILE: envFile,
          DEPLOY_HELM: fakeHelm,
          DEPLOY_OUT: join(scratch, 'out'),
          REVISION: '99',
        },
      },
      (err) => resolve(err ? Number(err.code) : 0),
    ),
  );
  t.equal(bad, 2, 'revision 99 is not in the history');
});

t.test("make lab-pins: the release's images into make cluster's pins file, other pins kept", async (t) => {
  const clusterPins = join(scratch, 'cluster-images.yml');
  writeFileSync(
    clusterPins,
    `postgres: {digest: "${digest('d')}"}\napi: {repository: "old/api", tag: "0.1.0", digest: "${digest('e')}"}\n`,
  );
  const code = await new Promise<number>((resolve) =>
    execFile(
      'bash',
      [join(root, 'services/deploy/bin/lab-pins.sh'), clusterPins],
      {
        cwd: root,
        env: { ...process.env, DEPLOY_ENV: 'test', DEPLOY_ENV_FILE: envFile, DEPLOY_HELM: fakeHelm, DEPLOY_OUT: join(scratch, 'out3') },
      },
      (err) => resolve(err ? Number(err.code) : 0),
    ),
  );
  t.equal(code, 0);
  const text = readFileSync(clusterPins, 'utf8');
  t.match(
    text,
    new RegExp(`^api: \\{"repository": "ghcr.io/dhakacart/dhakacart/api", "tag": "abc123", "digest": "${digest('a')}"\\}$`, 'm'),
  );
  t.match(text, new RegExp(`^postgres: \\{"digest": "${digest('d')}"\\}$`, 'm'), 'the data tier pins stay');
  t.match(text, /^web: .*"tag": "abc123"/m);
});

t.test('a pins file without digests is refused before helm runs', async (t) => {
  const loose = join(scratch, 'loose.yml');
  writeFileSync(loose, 'api: {repository: "ghcr.io/x/api", tag: "abc"}\nweb: {repository: "ghcr.io/x/web", tag: "abc"}\n');
  const code = await new Promise<number>((resolve) =>
    execFile(
      'bash',
      [join(root, 'services/deploy/bin/deploy.sh')],
      {
        cwd: root,
        env: {
          ...process.env,
          DEPLOY_ENV: 'test',
          DEPLOY_ENV_FILE: envFile,
          DEPLOY_HELM: fakeHelm,
          DEPLOY_OUT: join(scratch, 'out2'),
          IMAGES: loose,
        },
      },
      (err) => resolve(err ? Number(err.code) : 0),
    ),
  );
  t.equal(code, 2);
});
