/**
 * The static checks of `make lint`, inside `make test` too, so CI refuses a
 * change that does not type-check or that the linter rejects: biome over the
 * whole repo, and tsc for every TypeScript project (strict).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';

const exec = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..', '..');

async function run(cmd: string, args: string[]) {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd: repo, maxBuffer: 32 * 1024 * 1024 });
    return { ok: true, out: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

t.test('biome: lint and format of the whole repo', async (t) => {
  const r = await run('npx', ['biome', 'check', '.']);
  t.ok(r.ok, 'npx biome check . is clean (fix with npx biome check --write .)', { diagnostic: !r.ok, output: r.out.slice(-8000) });
});

// tsc itself, not `npm run typecheck`: the API's script regenerates the Prisma
// client first, which would rewrite files that test files running beside this
// one are importing. `make setup` generated it already. Every tsconfig.json git
// knows is a project to check, so a new package or script folder is covered the
// day it appears (the build-only and shared base configs are not projects).
const NOT_PROJECTS = new Set(['tsconfig.base.json', 'services/api/tsconfig.build.json']);
t.test('tsc: every TypeScript project type-checks (strict)', async (t) => {
  const listed = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*tsconfig*.json']);
  const projects = listed.out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !NOT_PROJECTS.has(l));
  t.ok(projects.length >= 6, `${projects.length} projects: ${projects.join(', ')}`);
  const tsc = join(repo, 'node_modules', '.bin', 'tsc');
  for (const project of projects) {
    const r = await run(tsc, ['--noEmit', '-p', project]);
    t.ok(r.ok, `tsc -p ${project}`, { diagnostic: !r.ok, output: r.out.slice(-8000) });
  }
});
