/**
 * `make test`: every suite in the repo, with real servers, ending in one
 * plain "N passed, N failed" line that CI reads.
 *
 * TypeScript test files (`services/<pkg>/test/**\/*.test.ts`, `web/test/...`) are
 * tap scripts run directly under tsx, two at a time, each with its own database
 * cloned from a migrated template on one shared throwaway PostgreSQL, and its
 * own Redis key prefix on one shared throwaway Redis. Suites owned by other
 * parts of the repo (charts, ansible) are shell scripts that print their own
 * "N passed, N failed" line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';

const root = join(import.meta.dirname, '..', '..', '..');
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 2);
const fileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 300_000);
// Shell suites build whole environments (a debootstrap root, helm renders): a longer bound.
const suiteTimeoutMs = Number(process.env.TEST_SUITE_TIMEOUT_MS ?? 1_800_000);
const filter = process.argv.slice(2);

interface Result {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  output: string;
}

function findTestFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return findTestFiles(path);
    return entry.endsWith('.test.ts') ? [path] : [];
  });
}

function testDirs(): string[] {
  const services = readdirSync(join(root, 'services')).map((s) => join(root, 'services', s, 'test'));
  return [...services, join(root, 'web', 'test'), join(root, 'charts', 'tests')];
}

function run(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs = fileTimeoutMs,
): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => {
      output += `\n# runner: killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const counts = parseCounts(output);
      // A file that died or exited non-zero without reporting a failure still failed.
      if ((code !== 0 || signal) && counts.failed === 0) counts.failed = 1;
      if (code === 0 && counts.passed + counts.failed === 0) {
        counts.failed = 1;
        output += '\n# runner: suite reported no tests\n';
      }
      resolve({ name, ...counts, seconds: (Date.now() - started) / 1000, output });
    });
  });
}

/** tap prints `# { total: 8, pass: 7, fail: 1, skip: 0 }`; shell suites print `N passed, N failed`. */
function parseCounts(output: string) {
  const tap = [...output.matchAll(/^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, [^}]*skip: (\d+))?[^}]*\}$/gm)].at(-1);
  if (tap) {
    return { passed: Number(tap[2] ?? 0), failed: Number(tap[3] ?? 0), skipped: Number(tap[4] ?? 0) };
  }
  const plain = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].at(-1);
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]), skipped: Number(plain[3] ?? 0) };
  return { passed: 0, failed: 0, skipped: 0 };
}

/**
 * What the tests may not change: tracked files' contents and the set of untracked, unignored
 * files. Outputs belong in ignored folders (.cache/, .data/), so a test that writes into the
 * tree fails the run, whoever wrote the test.
 */
function treeState(): { diff: string; untracked: string[] } | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return {
      diff: createHash('sha256')
        .update(git('diff', '--binary', 'HEAD'))
        .digest('hex'),
      untracked: git('ls-files', '--others', '--exclude-standard').split('\n').filter(Boolean),
    };
  } catch {
    return null; // not a git checkout (an unpacked archive): nothing to compare
  }
}

async function main() {
  const treeBefore = treeState();
  // The repo-wide static checks (biome, tsc over every project) are CPU-heavy and long on a busy
  // machine: they run alone, with the longer bound, among the whole-system suites below.
  const staticChecks = join(root, 'services/devstack/test/static-checks.test.ts');
  const files = testDirs()
    .flatMap(findTestFiles)
    .filter((f) => f !== staticChecks)
    .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
    .sort();
  // Whole-system suites, each printing its own "N passed, N failed": run after the TypeScript
  // files and alone, because they are CPU-heavy (helm, checkov, ansible) or measure a running
  // system under load (the drills).
  const soloSuites = [
    { name: relative(root, staticChecks), command: process.execPath, args: ['--import', 'tsx', staticChecks] },
    { name: 'charts/tests/run.sh', command: 'bash', args: [join(root, 'charts/tests/run.sh')] },
    { name: 'ansible/tests/run.sh', command: 'bash', args: [join(root, 'ansible/tests/run.sh')] },
    {
      name: 'services/drill (make drill-local)',
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'services/drill/src/cli.ts'), '--target', 'local'],
    },
  ]
    .filter((s) => existsSync(s.args.find((a) => a.startsWith(root)) as string))
    .filter((s) => filter.length === 0 || filter.some((x) => s.name.includes(x)));

  const pg = await startPostgres();
  const redis = await startRedis();
  const stopServers = async () => {
    await Promise.allSettled([pg.dispose(), redis.dispose()]);
  };
  process.on('SIGINT', () => void stopServers().then(() => process.exit(130)));

  const env = {
    ...process.env,
    DHAKACART_TEST_PG_ADMIN_URL: pg.adminUrl,
    DHAKACART_TEST_REDIS_URL: redis.url,
    NODE_ENV: 'test',
    // tap's own per-file limit (default 30 s); the runner's limit above still applies.
    TAP_TIMEOUT: String(fileTimeoutMs / 1000),
  };
  const results: Result[] = [];
  const report = (r: Result) => {
    results.push(r);
    const status = r.failed > 0 ? 'FAIL' : 'ok  ';
    console.log(`${status} ${r.name}  (${r.passed} passed, ${r.failed} failed, ${r.seconds.toFixed(1)} s)`);
    if (r.failed > 0 || process.env.TEST_VERBOSE) console.log(r.output.replace(/^/gm, '    | '));
  };

  const queue = [...files];
  const workers = Array.from({ length: concurrency }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      report(await run(relative(root, file), process.execPath, ['--import', 'tsx', file], env, join(file, '..')));
    }
  });
  await Promise.all(workers);
  for (const suite of soloSuites) {
    report(await run(suite.name, suite.command, suite.args, { ...env, TAP_TIMEOUT: String(suiteTimeoutMs / 1000) }, root, suiteTimeoutMs));
  }
  await stopServers();

  const treeAfter = treeState();
  // `make screenshots` writes into the tree on purpose (SCREENSHOT_DIR=docs/screenshots).
  if (treeBefore && treeAfter && !process.env.SCREENSHOT_DIR) {
    const added = treeAfter.untracked.filter((f) => !treeBefore.untracked.includes(f));
    const changed = treeAfter.diff !== treeBefore.diff;
    const clean = added.length === 0 && !changed;
    const detail = [
      ...(changed ? ['tracked files changed during the run (git diff differs from before)'] : []),
      ...added.map((f) => `new file in the tree: ${f}`),
    ].join('\n');
    report({
      name: 'the tests leave the tree as they found it',
      passed: clean ? 1 : 0,
      failed: clean ? 0 : 1,
      skipped: 0,
      seconds: 0,
      output: detail,
    });
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  console.log(
    `\n${results.length} suites; failed suites: ${
      results
        .filter((r) => r.failed > 0)
        .map((r) => r.name)
        .join(', ') || 'none'
    }`,
  );
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 || results.length === 0 ? 1 : 0);
}

await main();
