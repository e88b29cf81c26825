/**
 * Policy for the images we ship, read from the Dockerfiles themselves (make test, and the PR
 * workflow through `make pipeline-check`):
 *   - every base image pinned by digest (a literal name:tag@sha256 or an ARG whose default is
 *     one), never `latest`, never a remote ADD;
 *   - each shipped target runs as a non-root numeric USER (set in it or in a stage it builds on);
 *   - no secrets: no ENV/ARG that looks like a credential with a value, no key or .env files copied;
 *   - no dev dependencies in a shipped target: node_modules come only from a stage that dropped
 *     them (npm prune/ci --omit=dev), and no npm install/ci without --omit=dev runs in it;
 *   - every workspace's package.json is copied before `npm ci` (or it refuses the lockfile).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  line: number;
  op: string;
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  line: number;
  instructions: Instruction[];
}

export interface Parsed {
  args: Map<string, string>; // ARGs before the first FROM and their defaults
  stages: Stage[];
}

const DIGEST_REF = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+:[\w.-]+@sha256:[0-9a-f]{64}$/;

export function parse(text: string): Parsed {
  const logical: Instruction[] = [];
  let buf = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!buf && (line.trim() === '' || line.trim().startsWith('#'))) return;
    if (buf && line.trim().startsWith('#')) return; // comments inside a continued RUN
    if (!buf) start = i + 1;
    if (line.endsWith('\\')) {
      buf += `${line.slice(0, -1)} `;
      return;
    }
    buf += line;
    const m = buf.trim().match(/^(\S+)\s*(.*)$/s);
    if (m) logical.push({ line: start, op: (m[1] as string).toUpperCase(), args: (m[2] as string).trim() });
    buf = '';
  });
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of logical) {
    if (ins.op === 'FROM') {
      const m = ins.args.match(/^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i);
      stages.push({ name: m?.[2] ?? String(stages.length), from: m?.[1] ?? '', line: ins.line, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.op === 'ARG') {
        const [k, ...v] = ins.args.split('=');
        args.set((k as string).trim(), v.join('=').trim());
      }
    } else {
      (stages.at(-1) as Stage).instructions.push(ins);
    }
  }
  return { args, stages };
}

/** The stage chain of a target, itself first: api -> runtime -> (external base). */
function chain(p: Parsed, name: string): Stage[] {
  const out: Stage[] = [];
  for (let s = p.stages.find((x) => x.name === name); s; s = p.stages.find((x) => x.name === s?.from)) out.push(s);
  return out;
}

export interface Finding {
  file: string;
  line: number;
  rule: string;
  message: string;
}

export interface PolicyInput {
  file: string;
  text: string;
  /** The shipped targets of this Dockerfile (the last stage when empty). */
  targets: string[];
  /** Every workspace's package.json path, relative to the repo root. */
  workspaceManifests: string[];
}

const CREDENTIAL = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|NPM_AUTH)/i;

export function check(input: PolicyInput): Finding[] {
  const p = parse(input.text);
  const findings: Finding[] = [];
  const add = (line: number, rule: string, message: string) => findings.push({ file: input.file, line, rule, message });
  const stageNames = new Set(p.stages.map((s) => s.name));
  if (p.stages.length === 0) add(1, 'parse', 'no FROM');

  for (const s of p.stages) {
    if (stageNames.has(s.from) && p.stages.indexOf(p.stages.find((x) => x.name === s.from) as Stage) < p.stages.indexOf(s)) continue;
    if (s.from === 'scratch') continue;
    const argRef = s.from.match(/^\$\{?(\w+)\}?$/);
    const ref = argRef ? (p.args.get(argRef[1] as string) ?? '') : s.from;
    const what = argRef ? `ARG ${argRef[1]} (default "${ref}")` : `"${ref}"`;
    if (/:latest(@|$)/.test(ref) || !/:[\w.-]+(@|$)/.test(ref.replace(/^[^/]*:\d+\//, ''))) {
      add(s.line, 'no-latest', `base ${what}: name an explicit tag, never latest`);
    }
    if (!DIGEST_REF.test(ref)) add(s.line, 'digest-pinned', `base ${what} is not pinned by digest (registry/name:tag@sha256:<64 hex>)`);
  }

  const targets = input.targets.length ? input.targets : [p.stages.at(-1)?.name ?? ''];
  for (const t of targets) {
    const c = chain(p, t);
    if (c.length === 0) {
      add(1, 'target', `target "${t}" is not a stage`);
      continue;
    }
    const user = c.flatMap((s) => s.instructions.filter((i) => i.op === 'USER')).at(0);
    const uid = user?.args.split(':')[0] ?? '';
    if (!user) add(c[0]?.line ?? 1, 'non-root', `target "${t}" sets no USER: it would run as the base image's user (root)`);
    else if (!/^\d+$/.test(uid) || uid === '0') {
      add(
        user.line,
        'non-root',
        `target "${t}" runs as USER ${user.args}: use a numeric non-zero uid (runAsNonRoot verifies only numbers)`,
      );
    }
    for (const s of c) {
      for (const i of s.instructions) {
        if (i.op === 'RUN' && /\bnpm\s+(ci|install|i)\b/.test(i.args) && !/--omit[= ]dev/.test(i.args)) {
          add(i.line, 'no-dev-deps', `target "${t}" installs npm packages with dev dependencies`);
        }
        const from = i.args.match(/--from=(\S+)/)?.[1];
        if (i.op === 'COPY' && from && /node_modules/.test(i.args)) {
          const src = chain(p, from);
          const dropped = src.some((x) =>
            x.instructions.some((j) => j.op === 'RUN' && /\bnpm\s+(prune|ci)\b[^&;]*--omit[= ]dev/.test(j.args)),
          );
          if (!dropped)
            add(
              i.line,
              'no-dev-deps',
              `target "${t}" copies node_modules from stage "${from}", which never drops dev dependencies (npm prune --omit=dev)`,
            );
        }
      }
    }
  }

  for (const s of p.stages) {
    for (const i of s.instructions) {
      if ((i.op === 'ENV' || i.op === 'ARG') && CREDENTIAL.test(i.args)) {
        for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
          if (CREDENTIAL.test(m[1] as string) && (m[2] as string).replace(/"/g, '') !== '') {
            add(
              i.line,
              'no-secrets',
              `${i.op} ${m[1]} carries a value that looks like a credential: it stays in the image history; use a build secret (--mount=type=secret)`,
            );
          }
        }
      }
      if ((i.op === 'COPY' || i.op === 'ADD') && /(^|[\s/])(\.env(\.\S*)?|id_rsa\S*|\S+\.pem|\S+\.key|\.npmrc)(\s|$)/.test(i.args)) {
        add(i.line, 'no-secrets', `${i.op} ${i.args}: key, .env or .npmrc files must not enter an image`);
      }
      if (i.op === 'ADD' && /https?:\/\//.test(i.args))
        add(i.line, 'digest-pinned', `ADD from a URL is not pinned: download in a RUN and check its checksum`);
      if (i.op === 'RUN' && /\bnpm\s+ci\b/.test(i.args)) {
        const copied = s.instructions
          .filter((x) => x.op === 'COPY' && x.line < i.line)
          .map((x) => x.args)
          .join('\n');
        for (const m of input.workspaceManifests) {
          if (!copied.includes(m)) add(i.line, 'workspaces', `npm ci without ${m} copied first: npm refuses the lockfile`);
        }
      }
    }
  }
  return findings;
}

/** The shipped images: Dockerfile, targets. */
export const IMAGES = [
  { file: 'services/api/Dockerfile', targets: ['api', 'migrate'] },
  { file: 'web/Dockerfile', targets: ['web'] },
];

export function workspaceManifests(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  return pkg.workspaces
    .flatMap((w) =>
      w.endsWith('/*')
        ? readdirSync(join(root, w.slice(0, -2)), { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => `${w.slice(0, -2)}/${d.name}`)
        : [w],
    )
    .map((d) => `${d}/package.json`)
    .filter((f) => {
      try {
        readFileSync(join(root, f));
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}

export function checkRepo(root: string): Finding[] {
  const manifests = workspaceManifests(root);
  return IMAGES.flatMap((img) =>
    check({ file: img.file, text: readFileSync(join(root, img.file), 'utf8'), targets: img.targets, workspaceManifests: manifests }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..', '..', '..');
  const findings = checkRepo(root);
  for (const f of findings) console.log(`${f.file}:${f.line}: [${f.rule}] ${f.message}`);
  console.log(
    findings.length ? `Dockerfile policy: ${findings.length} finding(s)` : `Dockerfile policy: ${IMAGES.length} Dockerfiles clean`,
  );
  process.exit(findings.length ? 1 : 0);
}
