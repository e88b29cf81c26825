/**
 * barman-cloud as the Barman Cloud plugin runs it: the argument lists of
 * cloudnative-pg/barman-cloud (pkg/archiver, pkg/backup, pkg/command) and
 * plugin-barman-cloud (internal/cnpgi/restore), with the compression, the
 * destinationPath and the sidecar's environment taken from the ObjectStore
 * that charts/dhakacart-data renders (helm template), so the test stores
 * objects exactly where and how the cluster would: <destinationPath><serverName>/
 * base/<backup id>/ and wals/<timeline+segment prefix>/<WAL>.gz.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { BackupStore } from './store.js';
import { barmanBin, repo } from './tools.js';

const exec = promisify(execFile);

export interface ObjectStoreConfig {
  /** s3://bucket/ as the chart sets it; the test swaps the bucket for the store's. */
  destinationPath: string;
  walCompression: string;
  dataCompression: string;
  immediateCheckpoint: boolean;
  sidecarEnv: Record<string, string>;
}

/** The ObjectStore of charts/dhakacart-data with its lab profile. */
export function chartObjectStore(): ObjectStoreConfig {
  const helm = join(repo, '.cache', 'charts', 'bin', 'helm');
  const out = execFileSync(
    helm,
    [
      'template',
      'dhakacart-data',
      join(repo, 'charts', 'dhakacart-data'),
      '-n',
      'dhakacart',
      '-f',
      join(repo, 'charts', 'dhakacart-data', 'values-lab.yaml'),
      '-f',
      join(repo, 'charts', 'tests', 'values', 'digests-data.yaml'),
    ],
    { maxBuffer: 32 * 1024 * 1024 },
  ).toString();
  const store = parseAllDocuments(out)
    .map((d) => d.toJS())
    .find((o) => o?.kind === 'ObjectStore');
  if (!store) throw new Error('charts/dhakacart-data rendered no ObjectStore with values-lab.yaml');
  const c = store.spec.configuration;
  return {
    destinationPath: c.destinationPath,
    walCompression: c.wal?.compression ?? '',
    dataCompression: c.data?.compression ?? '',
    immediateCheckpoint: c.data?.immediateCheckpoint === true,
    sidecarEnv: Object.fromEntries(
      (store.spec.instanceSidecarConfiguration?.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]),
    ),
  };
}

/** A store's location in the chart's layout: destinationPath with the store's bucket. */
export class Barman {
  readonly destinationPath: string;
  constructor(
    readonly store: BackupStore,
    readonly config: ObjectStoreConfig,
  ) {
    this.destinationPath = config.destinationPath.replace(/^s3:\/\/[^/]+/, `s3://${store.bucket}`);
  }

  /** What the plugin puts in the sidecar's environment (credentials, the CA, the ObjectStore's env). */
  env(): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: this.store.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.store.secretAccessKey,
      AWS_DEFAULT_REGION: this.store.region,
      AWS_CA_BUNDLE: this.store.caFile,
      REQUESTS_CA_BUNDLE: this.store.caFile,
      ...this.config.sidecarEnv,
    };
  }

  private provider() {
    return ['--endpoint-url', this.store.endpoint, '--cloud-provider', 'aws-s3'];
  }

  walArchiveArgs(serverName: string) {
    const c = this.config.walCompression ? [`--${this.config.walCompression}`] : [];
    return [...c, ...this.provider(), this.destinationPath, serverName];
  }

  walRestoreArgs(serverName: string) {
    return [...this.provider(), this.destinationPath, serverName];
  }

  backupArgs(serverName: string, name: string) {
    const c = this.config.dataCompression ? [`--${this.config.dataCompression}`] : [];
    const checkpoint = this.config.immediateCheckpoint ? ['--immediate-checkpoint'] : [];
    return ['--user', 'postgres', '--name', name, ...c, ...checkpoint, ...this.provider(), this.destinationPath, serverName];
  }

  restoreArgs(serverName: string, backupId: string, pgdata: string) {
    return ['--cloud-provider', 'aws-s3', '--endpoint-url', this.store.endpoint, this.destinationPath, serverName, backupId, pgdata];
  }

  /**
   * A script PostgreSQL calls as archive_command or restore_command: the
   * credentials in a file only the postgres user reads, then barman-cloud with
   * the plugin's arguments. Each call appends "<start ms> <end ms> <exit> <WAL>"
   * to `<script>.log` (how long uploads take).
   */
  writeHook(path: string, tool: 'barman-cloud-wal-archive' | 'barman-cloud-wal-restore', serverName: string) {
    const envFile = `${path}.env`;
    writeFileSync(
      envFile,
      `${Object.entries(this.env())
        .map(([k, v]) => `export ${k}='${v}'`)
        .join('\n')}\n`,
      { mode: 0o600 },
    );
    const args = tool === 'barman-cloud-wal-archive' ? this.walArchiveArgs(serverName) : this.walRestoreArgs(serverName);
    const quoted = args.map((a) => `'${a}'`).join(' ');
    writeFileSync(
      path,
      [
        '#!/bin/sh',
        `# ${tool} as the Barman Cloud plugin calls it. $1: the WAL file (archive) or name and target (restore).`,
        `. '${envFile}'`,
        'start=$(date +%s%3N)',
        `'${barmanBin(tool)}' ${quoted} "$@"`,
        'rc=$?',
        `echo "$start $(date +%s%3N) $rc $1" >> '${path}.log'`,
        'exit $rc',
        '',
      ].join('\n'),
      { mode: 0o700 },
    );
    for (const f of [path, envFile]) asPostgresOwned(f);
    writeFileSync(`${path}.log`, '');
    asPostgresOwned(`${path}.log`);
  }

  /** barman-cloud-* as the postgres user (it reads the data directory; PostgreSQL runs its hooks as postgres too). */
  async run(tool: string, args: string[], extraEnv: Record<string, string> = {}) {
    const env = { PATH: process.env.PATH, HOME: '/tmp', ...this.env(), ...extraEnv };
    const { stdout } = await exec('setpriv', ['--reuid', 'postgres', '--regid', 'postgres', '--init-groups', barmanBin(tool), ...args], {
      env,
      maxBuffer: 64 * 1024 * 1024,
      // A hung upload (or a base backup waiting for WAL that is not archived) fails the run, not the clock.
      timeout: 240_000,
    });
    return stdout;
  }

  /** barman-cloud-backup-list as JSON: the catalog the plugin reads before a restore. */
  async backups(serverName: string): Promise<BarmanBackup[]> {
    const out = await this.run('barman-cloud-backup-list', ['--format', 'json', ...this.provider(), this.destinationPath, serverName]);
    return (JSON.parse(out).backups_list ?? []) as BarmanBackup[];
  }
}

export interface BarmanBackup {
  backup_id: string;
  backup_name?: string;
  status: string;
  begin_wal: string;
  end_wal: string;
  end_time: string;
  timeline: number;
  size?: number;
  deduplicated_size?: number;
}

const uid = (name: string) => Number(execFileSync('id', ['-u', name]).toString().trim());
export function asPostgresOwned(path: string, mode?: number) {
  chownSync(path, uid('postgres'), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  if (mode !== undefined) chmodSync(path, mode);
}
