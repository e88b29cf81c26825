/**
 * `make pipeline-check`: the pipeline's own checks, the same in make test (test/pipeline.test.ts)
 * and in the workflows (ci.yml, main.yml):
 *   1. actionlint on every workflow (its shellcheck on every run: block)
 *   2. every make target, script and reusable workflow a workflow calls exists, and every
 *      secret and variable a workflow reads is documented in docs/runbooks/deploy.md
 *   3. gitleaks over the repository's history
 *   4. the Dockerfiles against the image policy (src/dockerfile-policy.ts)
 *   5. shellcheck on the delivery scripts the workflows end up running
 * Prints PASS/FAIL per check and "N passed, N failed"; PIPELINE_SUMMARY=<file> appends a
 * Markdown table (GitHub's job summary).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkRepo } from './dockerfile-policy.js';

export const root = join(import.meta.dirname, '..', '..', '..');
const toolCache = process.env.DHAKACART_TOOL_CACHE ?? join(homedir(), '.cache', 'dhakacart');

function pin(name: string): string {
  const m = readFileSync(join(root, 'services/deploy/bin/pins.sh'), 'utf8').match(new RegExp(`^${name}=(\\S+)`, 'm'));
  if (!m) throw new Error(`no ${name} in services/deploy/bin/pins.sh`);
  return m[1] as string;
}
export const tool = (name: 'gitleaks' | 'actionlint') => join(toolCache, `${name}-${pin(`${name.toUpperCase()}_VERSION`)}`, name);

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export function workflowFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f))
        .sort()
    : [];
}

export function actionlint(repo: string, files: string[]): CheckResult {
  const r = spawnSync(tool('actionlint'), ['-no-color', ...files], { cwd: repo, encoding: 'utf8' });
  if (r.error) return { name: 'actionlint', ok: false, detail: `${r.error.message} (make setup builds it)` };
  return {
    name: `actionlint (${files.length} workflows, shellcheck on their scripts)`,
    ok: r.status === 0,
    detail: (r.stdout + r.stderr).trim().split('\n').slice(0, 40).join('\n'),
  };
}

/** Targets make knows in `repo`'s Makefile (includes followed), without running anything. */
export function makeTargets(repo: string): Set<string> {
  const r = spawnSync('make', ['-pRrq', '-C', repo], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const targets = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const m = line.match(/^([a-zA-Z0-9][\w.-]*):(?!=)/);
    if (m) targets.add(m[1] as string);
  }
  return targets;
}

/**
 * What the workflows call: `make <target>` and `bash <script>` (or a script run by path) in
 * their run blocks, local reusable workflows, secrets.X and vars.X.
 */
export function workflowCalls(text: string) {
  const makes = new Set<string>();
  const scripts = new Set<string>();
  const reusable = new Set<string>();
  const settings = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*#.*$/, '');
    for (const m of line.matchAll(/(?:^\s*(?:-\s+)?(?:run:)?|[;&|(])\s*make\s+((?:-\S+\s+)*)([a-z][\w-]*)/g)) makes.add(m[2] as string);
    for (const m of line.matchAll(/(?:^|[\s;&|(])(?:bash|sh)\s+((?:\.\/)?[\w./-]+\.sh|\.ci\/run)\b/g))
      scripts.add((m[1] as string).replace(/^\.\//, ''));
    for (const m of line.matchAll(/uses:\s*\.\/(\S+\.ya?ml)/g)) reusable.add(m[1] as string);
    for (const m of line.matchAll(/\b(secrets|vars)\.([A-Z][A-Z0-9_]*)\b/g)) if (m[2] !== 'GITHUB_TOKEN') settings.add(m[2] as string);
  }
  return { makes, scripts, reusable, settings };
}

export function callsExist(repo: string, files: string[], runbook = join(repo, 'docs/runbooks/deploy.md')): CheckResult {
  const targets = makeTargets(repo);
  const doc = existsSync(runbook) ? readFileSync(runbook, 'utf8') : '';
  const missing: string[] = [];
  let count = 0;
  for (const f of files) {
    const c = workflowCalls(readFileSync(f, 'utf8'));
    const where = f.slice(repo.length + 1);
    for (const t of c.makes) {
      count++;
      if (!targets.has(t)) missing.push(`${where}: make ${t}: no such target`);
    }
    for (const s of [...c.scripts, ...c.reusable]) {
      count++;
      if (!existsSync(join(repo, s))) missing.push(`${where}: ${s}: no such file`);
    }
    for (const s of c.settings) {
      count++;
      if (!doc.includes(`\`${s}\``)) missing.push(`${where}: ${s}: not documented in docs/runbooks/deploy.md`);
    }
  }
  return {
    name: `every target, script, workflow, secret and variable the workflows use exists or is documented (${count} references)`,
    ok: missing.length === 0,
    detail: missing.join('\n'),
  };
}

export function gitleaks(repo: string): CheckResult {
  const r = spawnSync(tool('gitleaks'), ['git', '--no-banner', '--redact', '--no-color', '--exit-code', '1', repo], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (r.error) return { name: 'gitleaks', ok: false, detail: `${r.error.message} (make setup builds it)` };
  const out = (r.stdout + r.stderr).trim();
  const scanned = out.match(/(\d+) commits scanned/)?.[1] ?? '?';
  return {
    name: `gitleaks over the history (${scanned} commits)`,
    ok: r.status === 0,
    detail: out.split('\n').slice(-30).join('\n'),
  };
}

export function dockerfiles(repo: string): CheckResult {
  const findings = checkRepo(repo);
  return {
    name: 'Dockerfile policy (digest-pinned bases, no latest, non-root, no secrets, no dev dependencies)',
    ok: findings.length === 0,
    detail: findings.map((f) => `${f.file}:${f.line}: [${f.rule}] ${f.message}`).join('\n'),
  };
}

export function shellScripts(repo: string): string[] {
  const dirs = ['services/deploy/bin', 'services/deploy/k8s', 'ansible/roles/gha_runner/files'];
  const found = dirs.flatMap((d) =>
    existsSync(join(repo, d))
      ? readdirSync(join(repo, d))
          .filter((f) => f.endsWith('.sh') || !f.includes('.'))
          .map((f) => join(d, f))
      : [],
  );
  return [...found, 'ansible/tests/delivery.sh'].filter((f) => existsSync(join(repo, f))).sort();
}

export function shellcheck(repo: string, files = shellScripts(repo)): CheckResult {
  const r = spawnSync('shellcheck', ['-x', ...files], { cwd: repo, encoding: 'utf8' });
  if (r.error) return { name: 'shellcheck', ok: false, detail: r.error.message };
  return {
    name: `shellcheck the delivery scripts (${files.length})`,
    ok: r.status === 0,
    detail: (r.stdout + r.stderr).trim().slice(0, 4000),
  };
}

export function runAll(repo = root): CheckResult[] {
  const files = workflowFiles(join(repo, '.github/workflows'));
  return [actionlint(repo, files), callsExist(repo, files), gitleaks(repo), dockerfiles(repo), shellcheck(repo)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = runAll();
  for (const r of results) {
    console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}`);
    if (!r.ok && r.detail) console.log(r.detail.replace(/^/gm, '    '));
  }
  const failed = results.filter((r) => !r.ok).length;
  const summary = process.env.PIPELINE_SUMMARY;
  if (summary) {
    appendFileSync(
      summary,
      [
        '### Pipeline checks',
        '| check | result |',
        '| --- | --- |',
        ...results.map((r) => `| ${r.name} | ${r.ok ? 'pass' : '**FAIL**'} |`),
        '',
      ].join('\n'),
    );
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
