/**
 * The pipeline's own checks (make pipeline-check) pass on the repository, and each one fails
 * on a fault seeded into a throwaway copy: a broken workflow, a call to a target that does not
 * exist, a committed token, and Dockerfiles that break each rule of the image policy.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { check, workspaceManifests } from '../src/dockerfile-policy.js';
import { actionlint, callsExist, gitleaks, root, runAll, shellcheck, workflowFiles } from '../src/pipeline-check.js';

const scratch = join(root, '.cache', 'deploy-test', `pipeline-${process.pid}`);
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

t.test('the repository passes every pipeline check', async (t) => {
  for (const r of runAll()) t.ok(r.ok, r.name, { detail: r.detail });
});

t.test('actionlint catches a broken workflow', async (t) => {
  const dir = join(scratch, 'lint', '.github', 'workflows');
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, '.github', 'actionlint.yaml'), join(scratch, 'lint', '.github', 'actionlint.yaml'));
  const good = readFileSync(join(root, '.github/workflows/rollback.yml'), 'utf8');
  // An undefined input in an expression, and a shell bug shellcheck reports.
  writeFileSync(
    join(dir, 'rollback.yml'),
    good
      // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not JS templates
      .replace('${{ inputs.revision }}', '${{ inputs.revison }}')
      .replace('run: make rollback REVISION="$REVISION"', 'run: make rollback REVISION=$REVISION'),
  );
  const r = actionlint(join(scratch, 'lint'), workflowFiles(dir));
  t.notOk(r.ok);
  t.match(r.detail, /property "revison" is not defined/);
  t.match(r.detail, /SC2086/);
});

t.test('a workflow calling a missing target, script or an undocumented secret fails', async (t) => {
  const dir = join(scratch, 'calls');
  mkdirSync(dir, { recursive: true });
  const wf = join(dir, 'bad.yml');
  writeFileSync(
    wf,
    [
      'jobs:',
      '  x:',
      '    steps:',
      '      - run: make deploy IMAGES=x && make deplyo',
      '      - run: bash services/deploy/bin/no-such.sh',
      '      - uses: ./.github/workflows/missing.yml',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not JS templates
      '      - env: { T: "${{ secrets.UNDOCUMENTED_TOKEN }}" }',
    ].join('\n'),
  );
  const r = callsExist(root, [wf]);
  t.notOk(r.ok);
  t.match(r.detail, /make deplyo: no such target/);
  t.notMatch(r.detail, /make deploy:/, 'make deploy exists');
  t.match(r.detail, /services\/deploy\/bin\/no-such\.sh: no such file/);
  t.match(r.detail, /\.github\/workflows\/missing\.yml: no such file/);
  t.match(r.detail, /UNDOCUMENTED_TOKEN: not documented/);
});

t.test('gitleaks finds a token committed to history, even after it was deleted', async (t) => {
  const repo = join(scratch, 'leak');
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  // A GitHub personal access token's shape, random at each run (a literal one in this file
  // would be a leak of its own): 36 alphanumerics after ghp_.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const secret = Array.from(randomBytes(36), (b) => alphabet[b % alphabet.length]).join('');
  writeFileSync(join(repo, 'deploy.env'), `GH_TOKEN=ghp_${secret}\n`);
  git('add', '.');
  git('commit', '-qm', 'oops');
  rmSync(join(repo, 'deploy.env'));
  git('add', '-A');
  git('commit', '-qm', 'remove it');
  const r = gitleaks(repo);
  t.notOk(r.ok);
  t.match(r.detail, /leaks found: 1/);
  t.notOk(r.detail.includes(secret), 'the secret is redacted in the output');
});

t.test('the Dockerfile policy catches each rule', async (t) => {
  const manifests = workspaceManifests(root);
  const api = readFileSync(join(root, 'services/api/Dockerfile'), 'utf8');
  const web = readFileSync(join(root, 'web/Dockerfile'), 'utf8');
  const rules = (text: string, targets: string[]) =>
    check({ file: 'x', text, targets, workspaceManifests: manifests }).map((f) => `${f.rule}: ${f.message}`);
  t.same(rules(api, ['api', 'migrate']), [], 'the API Dockerfile is clean');
  t.same(rules(web, ['web']), [], 'the web Dockerfile is clean');

  const seeded: [string, string, string, string[], RegExp][] = [
    ['a tag instead of a digest', api, api.replace(/@sha256:[0-9a-f]{64}/, ''), ['api'], /digest-pinned: base ARG NODE_IMAGE/],
    ['latest', web, web.replace(/1\.28-alpine@sha256:[0-9a-f]{64}/, 'latest'), ['web'], /no-latest: base ARG NGINX_IMAGE/],
    [
      'a literal unpinned base',
      web,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile ARG reference
      web.replace('FROM ${NGINX_IMAGE} AS web', 'FROM nginx:1.28 AS web'),
      ['web'],
      /digest-pinned: base "nginx:1.28"/,
    ],
    ['no USER', web, web.replace('USER 101:101\n', ''), ['web'], /non-root: target "web" sets no USER/],
    ['USER root', api, api.replace('USER 10001:10001', 'USER root'), ['api'], /non-root: target "api" runs as USER root/],
    [
      'node_modules with dev dependencies',
      api,
      api.replace(' \\\n && npm prune --omit=dev --omit=optional --workspace @dhakacart/api --include-workspace-root', ''),
      ['api'],
      /no-dev-deps: target "api" copies node_modules from stage "build"/,
    ],
    [
      'npm ci in the runtime stage',
      api,
      api.replace('USER 10001:10001', 'RUN npm ci\nUSER 10001:10001'),
      ['api'],
      /no-dev-deps: target "api" installs npm packages with dev dependencies/,
    ],
    [
      'a credential in ENV',
      api,
      api.replace('ENV NODE_ENV=production', 'ENV NPM_TOKEN=abc123 NODE_ENV=production'),
      ['api'],
      /no-secrets: ENV NPM_TOKEN/,
    ],
    [
      'a key file copied',
      web,
      web.replace('COPY web web', 'COPY web web\nCOPY deploy/id_rsa /root/.ssh/id_rsa'),
      ['web'],
      /no-secrets: COPY deploy\/id_rsa/,
    ],
    [
      'a workspace manifest missing',
      web,
      web.replace('COPY services/deploy/package.json services/deploy/\n', ''),
      ['web'],
      /workspaces: npm ci without services\/deploy\/package.json/,
    ],
  ];
  for (const [name, , text, targets, want] of seeded) {
    const found = rules(text, targets);
    t.ok(
      found.some((f) => want.test(f)),
      `caught: ${name}`,
      { found },
    );
  }
});

t.test('shellcheck catches a seeded quoting bug in a delivery script', async (t) => {
  const dir = join(scratch, 'sh');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bad.sh'), '#!/usr/bin/env bash\nrm -rf $1/work\n');
  const r = shellcheck(dir, ['bad.sh']);
  t.notOk(r.ok);
  t.match(r.detail, /SC2086/);
});
