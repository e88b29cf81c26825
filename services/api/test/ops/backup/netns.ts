/**
 * Network namespaces for the backup stores make test starts: each store is a
 * "VM" of its own, whose loopback addresses (Garage on 127.0.0.1:3900-3903) are
 * its own and whose HAProxy binds :443 as the role configures it, reached from
 * this machine over a veth pair (host .1, store .2 of a /30 in 10.213.0.0/16).
 * Two stores can also be linked to each other directly (the off-site copy),
 * each reaching the other at that one's own address, so each keeps a single
 * address its certificate names and the host never forwards between them.
 * Needs root (make test runs as root); nothing listens outside the machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const PREFIX = 'dcbk';

export interface Netns {
  name: string;
  /** This machine's end of the link. */
  hostAddress: string;
  /** The namespace's address: where its services are reached. */
  address: string;
  /** argv prefix that runs a command inside the namespace. */
  exec: string[];
  dispose(): void;
}

/** Every process in the namespace, then the namespace (and with it its veths and the host's ends). */
function remove(name: string) {
  try {
    for (const pid of ip('netns', 'pids', name).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    ip('netns', 'delete', name);
  } catch {
    // already gone
  }
}

/** Namespaces (and whatever still runs in them) left by a run that died: their pid is gone. */
function removeStale() {
  for (const line of ip('netns', 'list').split('\n')) {
    const m = new RegExp(`^(${PREFIX}(\\d+)-\\d+)`).exec(line);
    if (m && !existsSync(`/proc/${m[2]}`)) remove(m[1] as string);
  }
}

let counter = 0;

export function createNetns(): Netns {
  if (process.getuid?.() !== 0) throw new Error('the backup store tests need root (network namespaces)');
  if (counter === 0) removeStale();
  const index = counter++;
  const name = `${PREFIX}${process.pid}-${index}`;
  // 10.213.<a>.<b>/30 from the pid and the index: distinct for concurrent runs.
  const n = ((process.pid % 4000) * 16 + index) * 4;
  const base = `10.213.${Math.floor(n / 256) % 256}.`;
  const host = `${base}${(n % 256) + 1}`;
  const address = `${base}${(n % 256) + 2}`;
  const hostIf = `dcbk${process.pid % 100000}h${index}`;
  ip('netns', 'add', name);
  try {
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
    ip('addr', 'add', `${host}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
    ip('-n', name, 'addr', 'add', `${address}/30`, 'dev', 'eth0');
    ip('-n', name, 'link', 'set', 'eth0', 'up');
  } catch (error) {
    ip('netns', 'delete', name);
    throw error;
  }
  return {
    name,
    hostAddress: host,
    address,
    exec: ['ip', 'netns', 'exec', name],
    dispose: () => remove(name),
  };
}

/** A direct link between two namespaces: each reaches the other at that one's own address. */
export function link(a: Netns, b: Netns) {
  const ab = `${a.name.slice(-6)}x`;
  const ba = `${b.name.slice(-6)}x`;
  ip('link', 'add', ab, 'netns', a.name, 'type', 'veth', 'peer', 'name', ba, 'netns', b.name);
  for (const [ns, dev, own, peer] of [
    [a, ab, a.address, b.address],
    [b, ba, b.address, a.address],
  ] as const) {
    // The same address again on the link (a /32): replies leave from the address the peer knows.
    ip('-n', ns.name, 'addr', 'add', `${own}/32`, 'dev', dev);
    ip('-n', ns.name, 'link', 'set', dev, 'up');
    ip('-n', ns.name, 'route', 'add', `${peer}/32`, 'dev', dev, 'src', own);
  }
}
