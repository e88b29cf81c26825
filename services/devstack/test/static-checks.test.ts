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
// one are importing. `make setup` generated it already.
const projects = ['services/api/tsconfig.json', 'services/devstack/tsconfig.json', 'web/tsconfig.json', 'web/test/tsconfig.json'];
t.test('tsc: every workspace type-checks (strict)', { timeout: 240_000 }, async (t) => {
  for (const project of projects) {
    const r = await run('npx', ['tsc', '--noEmit', '-p', project]);
    t.ok(r.ok, `tsc -p ${project}`, { diagnostic: !r.ok, output: r.out.slice(-8000) });
  }
});
