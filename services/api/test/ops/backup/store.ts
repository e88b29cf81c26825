/**
 * Backup stores for make test, configured by the backup_store Ansible role
 * itself: Ansible renders the role's templates (tasks/render.yml: garage.toml,
 * haproxy.cfg, the off-site copy's settings, the units) with the lab's
 * group_vars and a certificate from the lab_pki role; Garage and HAProxy start
 * with exactly those files in a network namespace of their own (netns.ts); the
 * role's own tasks/bootstrap.yml then runs for real inside that namespace
 * (layout, key import, bucket, permissions, lifecycle rule, the TLS check).
 * Only paths, secrets and the store's address differ from the backup VM.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnServer, stopChild, waitFor } from '@dhakacart/devstack';
import { stringify } from 'yaml';
import { createNetns, link, type Netns } from './netns.js';
import { barmanBin, garageBinary, rcloneBinary, repo } from './tools.js';

const exec = promisify(execFile);
const ansibleBin = join(repo, '.cache', 'venv', 'bin');
const groupVars = join(repo, 'ansible', 'playbooks', 'group_vars', 'all');

export interface BackupStore {
  name: string;
  ns: Netns;
  dir: string;
  bucket: string;
  /** https://<address>: HAProxy's TLS in front of Garage, as the cluster reaches the backup VM. */
  endpoint: string;
  /** The CA that signed the endpoint's certificate (lab_pki). */
  caFile: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The role's backup-store.env, rendered for this store (the off-site copy's settings). */
  envFile: string;
  textfileDir: string;
  /** The garage CLI against this store. */
  garage(...args: string[]): Promise<string>;
  /** Runs a command inside the store's namespace with the role's settings in its environment. */
  run(cmd: string, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export interface StoreSpec {
  name: string;
  bucket: string;
  /** The store whose bucket this one's off-site copy goes to (backup_store_offsite_remote). */
  offsiteTo?: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** systemd EnvironmentFile values as the role writes them ("..." with \\ and \" escaped). */
export function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)="((?:[^"\\]|\\.)*)"$/.exec(line);
    if (m) env[m[1] as string] = (m[2] as string).replace(/\\(.)/g, '$1');
  }
  return env;
}

async function ansible(playbook: string, dir: string, netns?: Netns) {
  const env = {
    ...process.env,
    PATH: `${join(garageBinary, '..')}:${ansibleBin}:${process.env.PATH}`,
    ANSIBLE_ROLES_PATH: join(repo, 'ansible', 'roles'),
    ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp'),
    ANSIBLE_HOME: join(dir, 'ansible-home'),
    ANSIBLE_NOCOWS: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_PYTHON_INTERPRETER: join(ansibleBin, 'python'),
    ANSIBLE_STDOUT_CALLBACK: 'ansible.builtin.default',
  };
  const argv = [join(ansibleBin, 'ansible-playbook'), '-i', 'localhost,', playbook];
  const [cmd, ...args] = netns ? [...netns.exec, ...argv] : argv;
  try {
    await exec(cmd as string, args, { env, cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    // Ansible's own output: no_log hides the secrets in the tasks that carry them.
    throw new Error(`ansible-playbook ${playbook} failed:\n${(e.stdout ?? '').slice(-4000)}\n${(e.stderr ?? '').slice(-2000)}`);
  }
}

/**
 * Starts the stores (in order: a store's off-site target first), each in its
 * own namespace; two stores named in `offsiteTo` get a direct link.
 */
export async function startStores(baseDir: string, specs: StoreSpec[]): Promise<Map<string, BackupStore>> {
  // The stores' own folders (keys, PKI) are 0700; each CA is copied beside them, readable by the
  // postgres user that barman-cloud runs as.
  mkdirSync(baseDir, { recursive: true, mode: 0o755 });
  const lifecycleHelper = join(baseDir, 'lifecycle-helper');
  // The role's helper needs boto3: the barman-cloud venv has it (the VM has python3-boto3).
  writeFileSync(
    lifecycleHelper,
    `#!/bin/sh\nexec ${barmanBin('python')} ${join(repo, 'ansible', 'roles', 'backup_store', 'files', 's3-lifecycle.py')} "$@"\n`,
    { mode: 0o700 },
  );
  const nets = new Map(specs.map((s) => [s.name, createNetns()]));
  const cleanup = () => {
    for (const n of nets.values()) n.dispose();
  };
  try {
    for (const s of specs) if (s.offsiteTo) link(nets.get(s.name) as Netns, nets.get(s.offsiteTo) as Netns);
    const secrets = new Map(
      specs.map((s) => [s.name, { rpc: hex(32), admin: randomBytes(32).toString('base64'), keyId: `GK${hex(12)}`, keySecret: hex(32) }]),
    );
    const vars = (s: StoreSpec) => {
      const d = join(baseDir, s.name);
      const sec = secrets.get(s.name) as { rpc: string; admin: string; keyId: string; keySecret: string };
      const v: Record<string, unknown> = {
        dc_pki_dir: join(d, 'pki'),
        backup_store_ip: (nets.get(s.name) as Netns).address,
        backup_bucket: s.bucket,
        backup_store_render_dir: join(d, 'etc'),
        backup_store_tls_dir: join(d, 'etc', 'tls'),
        backup_store_settings_dir: join(d, 'etc'),
        backup_store_garage_config: join(d, 'etc', 'garage.toml'),
        backup_store_garage_meta_dir: join(d, 'meta'),
        backup_store_garage_data_dir: join(d, 'data'),
        backup_store_textfile_dir: join(d, 'textfile'),
        backup_store_lifecycle_file: join(d, 'etc', 'lifecycle.json'),
        backup_store_lifecycle_helper: lifecycleHelper,
        garage_rpc_secret: sec.rpc,
        garage_admin_token: sec.admin,
        backup_s3_access_key_id: sec.keyId,
        backup_s3_secret_access_key: sec.keySecret,
      };
      if (s.offsiteTo) {
        const target = specs.find((x) => x.name === s.offsiteTo) as StoreSpec;
        const tsec = secrets.get(target.name) as { keyId: string; keySecret: string };
        v.backup_store_offsite_remote = {
          type: 's3',
          provider: 'Other',
          endpoint: `https://${(nets.get(target.name) as Netns).address}`,
          region: 'us-east-1',
          access_key_id: tsec.keyId,
          secret_access_key: tsec.keySecret,
        };
        v.backup_store_offsite_path = `${target.bucket}/lab`;
        v.backup_store_offsite_ca = `{{ lookup('ansible.builtin.file', '${join(baseDir, target.name, 'pki', 'ca.crt')}') }}`;
      }
      return v;
    };
    for (const s of specs)
      for (const sub of ['etc', 'meta', 'data', 'textfile']) mkdirSync(join(baseDir, s.name, sub), { recursive: true });
    const play = (name: string, tasks: object[]) =>
      stringify([
        {
          name,
          hosts: 'localhost',
          connection: 'local',
          gather_facts: false,
          vars_files: [join(groupVars, 'main.yml'), join(groupVars, 'versions.yml')],
          tasks,
        },
      ]);
    // Off-site targets first: a store's settings read its target's CA.
    const ordered = [...specs].sort((a, b) => (a.offsiteTo ? 1 : 0) - (b.offsiteTo ? 1 : 0));
    const renderBook = join(baseDir, 'render.yml');
    writeFileSync(
      renderBook,
      play(
        'The backup stores as the backup_store role renders them',
        ordered.flatMap((s) => [
          { name: `${s.name}: lab PKI`, 'ansible.builtin.include_role': { name: 'lab_pki' }, vars: vars(s) },
          {
            name: `${s.name}: configuration`,
            'ansible.builtin.include_role': { name: 'backup_store', tasks_from: 'render' },
            vars: vars(s),
          },
        ]),
      ),
      { mode: 0o600 },
    );
    await ansible(renderBook, baseDir);

    for (const s of specs) copyFileSync(join(baseDir, s.name, 'pki', 'ca.crt'), join(baseDir, `${s.name}-ca.crt`));
    const stores = new Map<string, BackupStore>();
    const children: ChildProcess[] = [];
    for (const s of specs) {
      const ns = nets.get(s.name) as Netns;
      const d = join(baseDir, s.name);
      const garageCfg = join(d, 'etc', 'garage.toml');
      const garage = spawnServer(ns.exec[0] as string, [...ns.exec.slice(1), garageBinary, '-c', garageCfg, 'server'], {
        logPrefix: `[garage ${s.name}]`,
        env: { ...process.env, RUST_LOG: 'garage=warn' },
      });
      // -db: foreground, under our control (the role's config says "daemon" for systemd).
      const haproxy = spawnServer(ns.exec[0] as string, [...ns.exec.slice(1), 'haproxy', '-db', '-f', join(d, 'etc', 'haproxy.cfg')], {
        logPrefix: `[haproxy ${s.name}]`,
      });
      children.push(garage, haproxy);
      const sec = secrets.get(s.name) as { keyId: string; keySecret: string };
      const region = /s3_region = "([^"]+)"/.exec(readFileSync(garageCfg, 'utf8'))?.[1] ?? 'us-east-1';
      const runIn = async (cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
        const env = {
          PATH: `${join(rcloneBinary, '..')}:${process.env.PATH}`,
          RCLONE: rcloneBinary,
          ...readEnvFile(join(d, 'etc', 'backup-store.env')),
          ...extraEnv,
        };
        try {
          const r = await exec(ns.exec[0] as string, [...ns.exec.slice(1), cmd, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
          return { code: 0, stdout: r.stdout, stderr: r.stderr };
        } catch (error) {
          const e = error as { code?: number; stdout?: string; stderr?: string };
          return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
        }
      };
      stores.set(s.name, {
        name: s.name,
        ns,
        dir: d,
        bucket: s.bucket,
        endpoint: `https://${ns.address}`,
        caFile: join(baseDir, `${s.name}-ca.crt`),
        region,
        accessKeyId: sec.keyId,
        secretAccessKey: sec.keySecret,
        envFile: join(d, 'etc', 'backup-store.env'),
        textfileDir: join(d, 'textfile'),
        garage: async (...args: string[]) =>
          (await exec(ns.exec[0] as string, [...ns.exec.slice(1), garageBinary, '-c', garageCfg, ...args], { maxBuffer: 16 * 1024 * 1024 }))
            .stdout,
        run: runIn,
        async stop() {
          await Promise.all([stopChild(garage, 'SIGTERM'), stopChild(haproxy, 'SIGTERM')]);
          ns.dispose();
        },
      });
    }
    for (const s of stores.values()) {
      await waitFor(`Garage (${s.name})`, async () => (await s.garage('status').catch(() => '')).includes('HEALTHY'), 60_000);
    }
    // The role's bootstrap.yml, for real, inside each store's namespace (in parallel).
    await Promise.all(
      specs.map(async (s) => {
        const book = join(baseDir, `bootstrap-${s.name}.yml`);
        writeFileSync(
          book,
          play(`${s.name}: bucket, key and layout (backup_store bootstrap.yml)`, [
            { 'ansible.builtin.include_role': { name: 'backup_store', tasks_from: 'bootstrap' }, vars: vars(s) },
          ]),
          { mode: 0o600 },
        );
        await ansible(book, baseDir, nets.get(s.name));
      }),
    );
    for (const s of specs) chmodSync(join(baseDir, s.name, 'etc', 'backup-store.env'), 0o600);
    return stores;
  } catch (error) {
    cleanup();
    throw error;
  }
}
