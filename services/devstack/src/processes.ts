import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ask the kernel for a free loopback port (tests never collide on fixed ports). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** True when something already listens on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e))]);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  } finally {
    server.close();
  }
}

/** The direct children of a process (Linux /proc), e.g. a postmaster's backends. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in parentheses may hold spaces: the fields after ") " are fixed.
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

export interface RunAs {
  user: string;
  group: string;
}

/**
 * Spawn a server so that it dies with us: setpriv's --pdeathsig makes the kernel
 * send SIGINT (PostgreSQL: fast shutdown; Redis: shutdown) to the child if this process dies, even on SIGKILL, so a crashed
 * test run never leaves PostgreSQL or Redis behind. It also drops root when asked
 * (PostgreSQL refuses to run as root).
 */
export function spawnServer(
  command: string,
  args: string[],
  options: { runAs?: RunAs | undefined; logPrefix: string; cwd?: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  const wrapper = ['--pdeathsig', 'INT'];
  if (options.runAs) {
    wrapper.push('--reuid', options.runAs.user, '--regid', options.runAs.group, '--init-groups');
  }
  const child = spawn('setpriv', [...wrapper, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: options.env ?? process.env,
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Kept for error messages: the last lines a server printed are what explains a failed start.
  (child as ChildProcess & { recentOutput: () => string }).recentOutput = () => lines.map((l) => `${options.logPrefix} ${l}`).join('\n');
  return child;
}

export function recentOutput(child: ChildProcess): string {
  const fn = (child as ChildProcess & { recentOutput?: () => string }).recentOutput;
  return fn ? fn() : '';
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what} exited during start-up\n${recentOutput(child)}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms${child ? `\n${recentOutput(child)}` : ''}`);
}
