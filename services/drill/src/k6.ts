/**
 * k6, the load engine: built once from the Go module proxy at a pinned version
 * into a tool cache outside the clone (keyed by version, shared by clones),
 * then run with the shopper script; its per-request samples come back as CSV.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const K6_VERSION = 'v1.8.1';
const toolCache = process.env.DHAKACART_TOOL_CACHE ?? join(homedir(), '.cache', 'dhakacart');
export const k6Binary = join(toolCache, `k6-${K6_VERSION}`, 'k6');

/** The pinned k6, built with `go install` on first use (about 1 min of both cores, then cached). */
export function ensureK6(log: (line: string) => void = () => {}): string {
  if (existsSync(k6Binary)) return k6Binary;
  log(`building k6 ${K6_VERSION} from the Go module proxy into ${k6Binary} (once)`);
  mkdirSync(join(toolCache, `k6-${K6_VERSION}`), { recursive: true });
  execFileSync('go', ['install', `go.k6.io/k6@${K6_VERSION}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      GOBIN: join(toolCache, `k6-${K6_VERSION}`),
      GOMODCACHE: join(toolCache, 'gomod'),
      GOCACHE: join(toolCache, 'gobuild'),
      GOFLAGS: '-modcacherw',
    },
  });
  return k6Binary;
}

export interface Sample {
  metric: string;
  /** Unix milliseconds. */
  t: number;
  value: number;
  tags: Record<string, string>;
}

/** k6's CSV output: one row per sample; extra tags (order_id, outcome...) come as k=v&k=v. */
export function parseCsv(text: string): Sample[] {
  const lines = text.split('\n').filter(Boolean);
  const header = (lines.shift() ?? '').split(',');
  const col = (name: string) => header.indexOf(name);
  const [metric, time, value, extra] = [col('metric_name'), col('timestamp'), col('metric_value'), col('extra_tags')];
  const named = ['name', 'status', 'method', 'error_code', 'scenario'].map((n) => [n, col(n)] as const).filter(([, i]) => i >= 0);
  return lines.map((line) => {
    // Our tag values never contain commas (names, statuses, ids), so a plain split is exact.
    const cells = line.split(',');
    const tags: Record<string, string> = {};
    for (const [n, i] of named) if (cells[i]) tags[n] = cells[i] as string;
    for (const pair of (cells[extra] ?? '').split('&')) {
      const [k, v] = pair.split('=');
      if (k && v !== undefined) tags[k] = decodeURIComponent(v);
    }
    return { metric: cells[metric] as string, t: Number(cells[time]), value: Number(cells[value]), tags };
  });
}

export interface K6Run {
  samples: Sample[];
  output: string;
  exitCode: number | null;
}

/** Starts k6; `stop()` ends the test early the way Ctrl-C does (in-flight iterations finish, output is flushed). */
export function runK6(options: { script: string; env: Record<string, string>; csv: string; timeoutMs: number }): {
  done: Promise<K6Run>;
  stop(): void;
} {
  const k6 = ensureK6();
  const child = spawn(
    k6,
    [
      'run',
      '--quiet',
      '--no-usage-report',
      '--system-tags',
      'status,method,name,error_code,scenario',
      '--out',
      `csv=${options.csv}`,
      options.script,
    ],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, K6_CSV_TIME_FORMAT: 'unix_milli', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const done = new Promise<number | null>((resolve) => child.on('close', resolve)).then((exitCode) => {
    clearTimeout(timer);
    const samples = existsSync(options.csv) ? parseCsv(readFileSync(options.csv, 'utf8')) : [];
    return { samples, output, exitCode };
  });
  return { done, stop: () => child.kill('SIGINT') };
}
