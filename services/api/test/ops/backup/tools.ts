/**
 * The backup tools make test runs, at the versions the lab runs
 * (ansible/playbooks/group_vars/all/versions.yml; `toolVersionsMatchTheLab` fails
 * the test when they drift):
 *   - Garage, the backup store: `cargo install --locked` from crates.io (about
 *     8 min of both cores, once), into the tool cache outside the clone, keyed by version;
 *   - rclone, the off-site copy: `go install` from the Go module proxy, same cache;
 *   - barman-cloud, what the Barman Cloud plugin's sidecar runs: a venv in the
 *     clone's .cache (PostgreSQL's archive_command runs it as the postgres user,
 *     who cannot enter /root), hash-pinned like the sidecar's.
 * `make setup` builds them (build-tools.ts); the tests only look them up.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const GARAGE_VERSION = 'v2.5.0';
export const RCLONE_VERSION = 'v1.76.0';
export const repo = join(import.meta.dirname, '..', '..', '..', '..', '..');
const toolCache = process.env.DHAKACART_TOOL_CACHE ?? join(homedir(), '.cache', 'dhakacart');

export const garageBinary = join(toolCache, `garage-${GARAGE_VERSION.slice(1)}`, 'bin', 'garage');
export const rcloneBinary = join(toolCache, `rclone-${RCLONE_VERSION}`, 'rclone');
const requirements = join(import.meta.dirname, 'barman-requirements.txt');
export const barmanVenv = join(repo, '.cache', 'barman-cloud');
export const barmanBin = (tool: string) => join(barmanVenv, 'bin', tool);
const barmanStamp = join(barmanVenv, '.requirements-sha256');
const requirementsDigest = () => createHash('sha256').update(readFileSync(requirements)).digest('hex');

/** What is missing, by name (empty: every tool is there). */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!existsSync(garageBinary)) missing.push(`Garage ${GARAGE_VERSION} (${garageBinary})`);
  if (!existsSync(rcloneBinary)) missing.push(`rclone ${RCLONE_VERSION} (${rcloneBinary})`);
  if (!existsSync(barmanStamp) || readFileSync(barmanStamp, 'utf8').trim() !== requirementsDigest()) {
    missing.push(`barman-cloud (${barmanVenv}, from ${requirements})`);
  }
  return missing;
}

/** The lab pins (versions.yml) and the tools make test runs must be the same releases. */
export function toolVersionsMatchTheLab(): string[] {
  const pins = parse(readFileSync(join(repo, 'ansible', 'playbooks', 'group_vars', 'all', 'versions.yml'), 'utf8'));
  const problems: string[] = [];
  if (pins.garage_version !== GARAGE_VERSION) problems.push(`the lab runs Garage ${pins.garage_version}, the tests ${GARAGE_VERSION}`);
  if (pins.rclone_version !== RCLONE_VERSION) problems.push(`the lab runs rclone ${pins.rclone_version}, the tests ${RCLONE_VERSION}`);
  return problems;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, maxBuffer: 64 * 1024 * 1024 });

export function ensureGarage(log: (line: string) => void) {
  if (existsSync(garageBinary)) return;
  log(`building Garage ${GARAGE_VERSION} from crates.io into ${garageBinary} (once; about 8 min on 2 cores)`);
  const target = join(toolCache, 'cargo-target-garage');
  run('cargo', ['install', '--locked', '--root', join(garageBinary, '..', '..'), 'garage', '--version', GARAGE_VERSION.slice(1)], {
    ...process.env,
    CARGO_TARGET_DIR: target,
  });
  rmSync(target, { recursive: true, force: true });
}

export function ensureRclone(log: (line: string) => void) {
  if (existsSync(rcloneBinary)) return;
  log(`building rclone ${RCLONE_VERSION} from the Go module proxy into ${rcloneBinary} (once)`);
  mkdirSync(join(rcloneBinary, '..'), { recursive: true });
  run('go', ['install', '-trimpath', `github.com/rclone/rclone@${RCLONE_VERSION}`], {
    ...process.env,
    GOBIN: join(rcloneBinary, '..'),
    GOMODCACHE: join(toolCache, 'gomod'),
    GOCACHE: join(toolCache, 'gobuild'),
    GOFLAGS: '-modcacherw',
    CGO_ENABLED: '0',
  });
}

export function ensureBarman(log: (line: string) => void) {
  const digest = requirementsDigest();
  if (existsSync(barmanStamp) && readFileSync(barmanStamp, 'utf8').trim() === digest) return;
  log(`installing barman-cloud into ${barmanVenv} (${requirements})`);
  // Debian's Python, not one under /root (pyenv): PostgreSQL runs the hooks as the postgres user.
  if (!existsSync(join(barmanVenv, 'bin', 'python'))) run('/usr/bin/python3', ['-m', 'venv', barmanVenv]);
  run(barmanBin('pip'), ['install', '-q', '--disable-pip-version-check', '--require-hashes', '-r', requirements]);
  writeFileSync(barmanStamp, `${digest}\n`);
}
