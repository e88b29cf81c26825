/**
 * The `lab` and `k8s` targets' access: kubectl, the front door, and how to take
 * a node away. In the Vagrant lab a node is a VM and the hypervisor pulls its
 * plug; on the local cluster `make k8s-node-off` does. The lab's commands are
 * built here as argv lists, so the tests check exactly what a student's drill
 * would run (no VM runs on the build machines: the lab path is not verified here).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClusterAccess } from './kube.js';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..', '..');

export type Provider = 'libvirt' | 'virtualbox';

async function run(argv: string[], cwd = root): Promise<string> {
  const [command, ...args] = argv;
  const { stdout } = await exec(command as string, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** The hypervisor's id of a Vagrant machine, as Vagrant recorded it (vagrant/.vagrant/machines/<name>/<provider>/id). */
export function machineId(vagrantDir: string, provider: Provider, machine: string): string {
  return readFileSync(join(vagrantDir, '.vagrant', 'machines', machine, provider, 'id'), 'utf8').trim();
}

const VIRSH = ['virsh', '-c', 'qemu:///system'];

/** What each lab fault runs, per provider. `mac` is the node's lab-network NIC (libvirt). */
export function labCommands(provider: Provider, id: string, machine: string, mac = '<lab-nic-mac>') {
  const fill =
    'f=/var/lib/rancher/drill-disk-fill; sudo fallocate -l "$(( $(df --output=avail -B1 /var/lib/rancher | tail -1) - 200 * 1024 * 1024 ))" $f';
  const common = {
    // Fill the node's data disk but 200 MB: the kubelet's disk-pressure eviction and the alert must act.
    diskFill: [['vagrant', 'ssh', machine, '-c', fill]],
    diskFree: [['vagrant', 'ssh', machine, '-c', 'sudo rm -f /var/lib/rancher/drill-disk-fill']],
    /** Any provider, when the hypervisor tools are not at hand: Vagrant's own hard stop. */
    powerOffAnyProvider: [['vagrant', 'halt', '--force', machine]],
  };
  if (provider === 'libvirt') {
    return {
      ...common,
      powerOff: [[...VIRSH, 'destroy', id]],
      powerOn: [[...VIRSH, 'start', id]],
      findLabNic: [[...VIRSH, 'domiflist', id]],
      networkCut: [[...VIRSH, 'domif-setlink', id, mac, 'down']],
      networkRestore: [[...VIRSH, 'domif-setlink', id, mac, 'up']],
    };
  }
  return {
    ...common,
    powerOff: [['VBoxManage', 'controlvm', id, 'poweroff']],
    powerOn: [['VBoxManage', 'startvm', id, '--type', 'headless']],
    findLabNic: [],
    // NIC 1 is VirtualBox's NAT (Vagrant's own access), NIC 2 the lab network.
    networkCut: [['VBoxManage', 'controlvm', id, 'setlinkstate2', 'off']],
    networkRestore: [['VBoxManage', 'controlvm', id, 'setlinkstate2', 'on']],
  };
}

/** The lab NIC in `virsh domiflist` output: the interface not on Vagrant's management network. */
export function labNicMac(domiflist: string, managementNetwork = 'vagrant-libvirt'): string {
  const rows = domiflist
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(cells[4] ?? ''));
  const lab = rows.find((cells) => cells[2] !== managementNetwork);
  if (!lab) throw new Error(`no lab NIC in:\n${domiflist}`);
  return lab[4] as string;
}

export function labAccess(settings: { provider: Provider; ingressIp: string }): ClusterAccess {
  const vagrantDir = join(root, 'vagrant');
  const state = join(root, '.cache', 'cluster');
  const runAll = async (commands: string[][], cwd = vagrantDir) => {
    for (const argv of commands) await run(argv, cwd);
  };
  return {
    name: 'lab',
    run: (argv) => run(argv),
    kubectl: ['kubectl', '--kubeconfig', join(state, 'kubeconfig')],
    namespace: 'dhakacart',
    baseUrl: 'https://shop.dhakacart.lab',
    k6Env: { SSL_CERT_FILE: join(state, 'pki', 'ca.crt'), HOSTS: JSON.stringify({ 'shop.dhakacart.lab': settings.ingressIp }) },
    async powerOff(node) {
      const commands = labCommands(settings.provider, machineId(vagrantDir, settings.provider, node), node).powerOff;
      await runAll(commands);
      return commands.map((c) => c.join(' ')).join('; ');
    },
    async powerOn(node) {
      await runAll(labCommands(settings.provider, machineId(vagrantDir, settings.provider, node), node).powerOn);
    },
    async networkCut(node, down) {
      const id = machineId(vagrantDir, settings.provider, node);
      let mac: string | undefined;
      if (settings.provider === 'libvirt') mac = labNicMac(await run(labCommands('libvirt', id, node).findLabNic[0] as string[]));
      const commands = labCommands(settings.provider, id, node, mac);
      await runAll(down ? commands.networkCut : commands.networkRestore);
      return (down ? commands.networkCut : commands.networkRestore).map((c) => c.join(' ')).join('; ');
    },
    async diskFill(node, full) {
      const commands = labCommands(settings.provider, machineId(vagrantDir, settings.provider, node), node);
      await runAll(full ? commands.diskFill : commands.diskFree);
      return (full ? commands.diskFill : commands.diskFree).map((c) => c.join(' ')).join('; ');
    },
  };
}

/** The local three-node cluster (charts/tests/k8s): its node power primitives and ingress. */
export function localClusterAccess(): ClusterAccess {
  const k8s = join(root, '.cache', 'k8s');
  const nodeNumber = (node: string) => /(\d+)$/.exec(node)?.[1] ?? node;
  return {
    name: 'k8s',
    run: (argv) => run(argv),
    kubectl: [join(k8s, 'bin', 'kubectl'), '--kubeconfig', join(k8s, 'run', 'pki', 'admin.kubeconfig')],
    namespace: 'dhakacart',
    baseUrl: 'https://shop.dhakacart.lab',
    k6Env: {
      SSL_CERT_FILE: join(k8s, 'run', 'pki', 'lab-ca.crt'),
      HOSTS: JSON.stringify({ 'shop.dhakacart.lab': process.env.K8S_INGRESS_IP ?? '10.250.0.2' }),
    },
    async powerOff(node) {
      await run(['make', '--no-print-directory', 'k8s-node-off', `NODE=${nodeNumber(node)}`]);
      return `make k8s-node-off NODE=${nodeNumber(node)}`;
    },
    async powerOn(node) {
      await run(['make', '--no-print-directory', 'k8s-node-on', `NODE=${nodeNumber(node)}`]);
    },
  };
}
