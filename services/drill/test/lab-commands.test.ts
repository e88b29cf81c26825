/**
 * The lab drills cannot run here (no VMs), so what they would run is checked
 * exactly: the argv of every fault for both providers, the parsing of the
 * hypervisor's output they depend on, and that Vagrant accepts the flags used.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labCommands, labNicMac, machineId } from '../src/targets/lab.js';

const ID = '6f1e9a52-0d4b-4c1a-9a3e-2f0e8b7c1d23';

t.test('libvirt: the hypervisor pulls the plug, and the lab NIC goes down and up', async (t) => {
  const c = labCommands('libvirt', ID, 'dc-k3s-2', '52:54:00:aa:bb:cc');
  t.same(c.powerOff, [['virsh', '-c', 'qemu:///system', 'destroy', ID]]);
  t.same(c.powerOn, [['virsh', '-c', 'qemu:///system', 'start', ID]]);
  t.same(c.findLabNic, [['virsh', '-c', 'qemu:///system', 'domiflist', ID]]);
  t.same(c.networkCut, [['virsh', '-c', 'qemu:///system', 'domif-setlink', ID, '52:54:00:aa:bb:cc', 'down']]);
  t.same(c.networkRestore, [['virsh', '-c', 'qemu:///system', 'domif-setlink', ID, '52:54:00:aa:bb:cc', 'up']]);
});

t.test('VirtualBox: controlvm poweroff, headless start, NIC 2 (the lab network, not the NAT) unplugged', async (t) => {
  const c = labCommands('virtualbox', ID, 'dc-k3s-1');
  t.same(c.powerOff, [['VBoxManage', 'controlvm', ID, 'poweroff']]);
  t.same(c.powerOn, [['VBoxManage', 'startvm', ID, '--type', 'headless']]);
  t.same(c.networkCut, [['VBoxManage', 'controlvm', ID, 'setlinkstate2', 'off']]);
  t.same(c.networkRestore, [['VBoxManage', 'controlvm', ID, 'setlinkstate2', 'on']]);
});

t.test('disk fill leaves 200 MB on the node and is undone; vagrant halt --force works on any provider', async (t) => {
  for (const provider of ['libvirt', 'virtualbox'] as const) {
    const c = labCommands(provider, ID, 'dc-k3s-3');
    t.same(c.diskFill[0]?.slice(0, 4), ['vagrant', 'ssh', 'dc-k3s-3', '-c']);
    t.match(
      c.diskFill[0]?.[4],
      /fallocate -l "\$\(\( \$\(df --output=avail -B1 \/var\/lib\/rancher \| tail -1\) - 200 \* 1024 \* 1024 \)\)" \$f/,
    );
    t.same(c.diskFree, [['vagrant', 'ssh', 'dc-k3s-3', '-c', 'sudo rm -f /var/lib/rancher/drill-disk-fill']]);
    t.same(c.powerOffAnyProvider, [['vagrant', 'halt', '--force', 'dc-k3s-3']]);
  }
  // The fill command is valid shell: parse it without running it.
  const script = labCommands('libvirt', ID, 'x').diskFill[0]?.[4] as string;
  t.doesNotThrow(() => execFileSync('bash', ['-n', '-c', script]), 'bash -n accepts the fill command');
});

t.test("the lab NIC is the domain's interface that is not on Vagrant's management network", async (t) => {
  const domiflist = ` Interface   Type      Source                  Model    MAC
-----------------------------------------------------------------------
 vnet4       network   vagrant-libvirt         virtio   52:54:00:11:22:33
 vnet5       network   dhakacart0              virtio   52:54:00:aa:bb:cc
`;
  t.equal(labNicMac(domiflist), '52:54:00:aa:bb:cc');
  t.throws(() => labNicMac(' Interface Type Source Model MAC\n vnet4 network vagrant-libvirt virtio 52:54:00:11:22:33\n'), /no lab NIC/);
});

t.test('the VM id is the one Vagrant recorded for the machine and provider', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dc-vagrant-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, '.vagrant', 'machines', 'dc-k3s-1', 'libvirt'), { recursive: true });
  writeFileSync(join(dir, '.vagrant', 'machines', 'dc-k3s-1', 'libvirt', 'id'), `${ID}\n`);
  t.equal(machineId(dir, 'libvirt', 'dc-k3s-1'), ID);
  t.throws(() => machineId(dir, 'virtualbox', 'dc-k3s-1'), 'a machine never brought up on that provider has no id');
});

t.test('Vagrant accepts the flags the drills use', async (t) => {
  let vagrant = '';
  try {
    vagrant = execFileSync('vagrant', ['halt', '--help'], { encoding: 'utf8', env: { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1' } });
  } catch (error) {
    vagrant = String((error as { stdout?: string }).stdout ?? '');
  }
  t.match(vagrant, /--force/, 'vagrant halt has --force (installed by make setup for the Vagrantfile checks)');
});
