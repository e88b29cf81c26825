/**
 * The lab runner's Ansible role (ansible/roles/gha_runner), through ansible/tests/delivery.sh:
 * site.yml --tags runner twice against a debootstrap Debian 12 root (converges, then
 * changed=0), then the user, token, unit, registration helper and RBAC it left, each check
 * with its seeded fault. One assertion per line the suite prints.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..', '..');
const r = spawnSync('bash', [join(root, 'ansible/tests/delivery.sh')], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const out = `${r.stdout}${r.stderr}`;
const lines = out.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
t.ok(lines.length >= 12, 'the suite ran every check', { tail: out.slice(-3000) });
for (const line of lines) {
  const detail = out.slice(out.indexOf(line) + line.length).split(/\n(?! {4})/)[1] ?? '';
  t.ok(line.startsWith('PASS'), line.slice(5), { detail: detail.slice(0, 2000) });
}
t.equal(r.status, 0, 'ansible/tests/delivery.sh exits 0');
