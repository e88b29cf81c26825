/**
 * A Kubernetes target: the shop as the charts deploy it, reached through its
 * ingress over HTTPS, faults injected with kubectl and with the node power
 * primitives of the place the cluster runs (`k8s`: the local cluster's
 * `make k8s-node-off`; `lab`: the hypervisor, see lab.ts). The database is read
 * through a port-forward to the CloudNativePG read-write Service, opened per
 * query because a failover moves it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, waitFor } from '@dhakacart/devstack';
import pg from 'pg';
import type { Faults, Target } from './target.js';

export interface ClusterAccess {
  name: string;
  /** Runs one command (argv) and returns its stdout; throws on a non-zero exit. */
  run(argv: string[]): Promise<string>;
  kubectl: string[];
  namespace: string;
  /** The shop's front door, and what k6 needs to reach it (SSL_CERT_FILE for the lab CA, HOSTS). */
  baseUrl: string;
  k6Env: Record<string, string>;
  /** Hard power-off and power-on of a node, by its Kubernetes node name. */
  powerOff(node: string): Promise<string>;
  powerOn(node: string): Promise<void>;
  /** The lab only: the node's lab-network link down/up, its data disk filled/freed. */
  networkCut?(node: string, down: boolean): Promise<string>;
  diskFill?(node: string, full: boolean): Promise<string>;
}

/** Names the charts give things (charts/dhakacart, charts/dhakacart-data defaults). */
export const NAMES = {
  apiDeployment: 'dhakacart-api',
  apiSelector: 'app.kubernetes.io/instance=dhakacart,app.kubernetes.io/component=api',
  redisDeployment: 'dhakacart-redis',
  dbCluster: 'dhakacart-db',
  dbAppSecret: 'dhakacart-db-app',
  jwtSecret: 'dhakacart-jwt',
};

export async function startKubeTarget(access: ClusterAccess): Promise<Target & { k6Env: Record<string, string> }> {
  const kubectl = (...args: string[]) => access.run([...access.kubectl, '-n', access.namespace, ...args]);
  const secretValue = async (secret: string, key: string) =>
    Buffer.from(await kubectl('get', 'secret', secret, '-o', `jsonpath={.data.${key}}`), 'base64').toString('utf8');
  const jwtSecret = await secretValue(NAMES.jwtSecret, 'secret');
  const dbUser = await secretValue(NAMES.dbAppSecret, 'username');
  const dbPassword = await secretValue(NAMES.dbAppSecret, 'password');
  const primaryPod = async () => kubectl('get', 'cluster', NAMES.dbCluster, '-o', 'jsonpath={.status.currentPrimary}');
  const nodeOf = async (pod: string) => kubectl('get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}');
  const poweredOff: string[] = [];

  /** A node that holds an API pod but not the database primary. */
  const anApiNodeButThePrimarys = async () => {
    const primaryNode = await nodeOf(await primaryPod());
    const apiNodes = (await kubectl('get', 'pods', '-l', NAMES.apiSelector, '-o', 'jsonpath={.items[*].spec.nodeName}')).split(/\s+/);
    return apiNodes.find((n) => n && n !== primaryNode) ?? (apiNodes[0] as string);
  };
  const hold = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

  const faults: Partial<Faults> = {
    async killApiPod() {
      const pods = (await kubectl('get', 'pods', '-l', NAMES.apiSelector, '-o', 'jsonpath={.items[*].metadata.name}')).split(/\s+/);
      const pod = pods[0] as string;
      await kubectl('delete', 'pod', pod, '--wait=false');
      return `kubectl delete pod ${pod} (graceful: preStop, SIGTERM, drain)`;
    },
    async rollingRestart() {
      await kubectl('rollout', 'restart', `deployment/${NAMES.apiDeployment}`);
      await kubectl('rollout', 'status', `deployment/${NAMES.apiDeployment}`, '--timeout=300s');
      return `kubectl rollout restart deployment/${NAMES.apiDeployment}, waited for the rollout`;
    },
    async redisDown(seconds) {
      await kubectl('scale', `deployment/${NAMES.redisDeployment}`, '--replicas=0');
      await new Promise((r) => setTimeout(r, seconds * 1000));
      await kubectl('scale', `deployment/${NAMES.redisDeployment}`, '--replicas=1');
      await kubectl('rollout', 'status', `deployment/${NAMES.redisDeployment}`, '--timeout=120s');
      return `Redis scaled to 0 for ${seconds} s, then back to 1`;
    },
    async killDatabasePrimary() {
      const primary = await primaryPod();
      await kubectl('delete', 'pod', primary, '--wait=false');
      return `kubectl delete pod ${primary} (the CNPG primary); the operator promotes a synchronous standby`;
    },
    async drainNode() {
      // A node with an API pod but not the primary: the maintenance case that must cost nothing.
      const node = await anApiNodeButThePrimarys();
      await access.run([...access.kubectl, 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=300s']);
      await access.run([...access.kubectl, 'uncordon', node]);
      return `kubectl drain ${node} (PDBs respected), then uncordon`;
    },
    async powerOffNode() {
      const primary = await primaryPod();
      const node = await nodeOf(primary);
      const how = await access.powerOff(node);
      poweredOff.push(node);
      return `${node}, holding the CNPG primary ${primary}, powered off: ${how}`;
    },
  };

  const networkCut = access.networkCut;
  if (networkCut) {
    faults.cutNodeNetwork = async (seconds) => {
      const node = await nodeOf(await primaryPod());
      const how = await networkCut(node, true);
      await hold(seconds);
      await networkCut(node, false);
      return `${node} (the primary's) cut off the lab network for ${seconds} s: ${how}`;
    };
  }
  const diskFill = access.diskFill;
  if (diskFill) {
    faults.fillNodeDisk = async (seconds) => {
      const node = await anApiNodeButThePrimarys();
      const how = await diskFill(node, true);
      await hold(seconds);
      await diskFill(node, false);
      return `${node}'s data disk filled but 200 MB for ${seconds} s: ${how}`;
    };
  }

  /** One query through a fresh port-forward to the read-write Service (it follows the primary). */
  async function sql<T>(text: string, values?: unknown[]): Promise<T[]> {
    const port = await freePort();
    const forward: ChildProcess = spawn(
      access.kubectl[0] as string,
      [...access.kubectl.slice(1), '-n', access.namespace, 'port-forward', `svc/${NAMES.dbCluster}-rw`, `${port}:5432`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let ready = false;
      forward.stdout?.on('data', (d) => {
        if (String(d).includes('Forwarding from')) ready = true;
      });
      await waitFor('port-forward to the database', async () => ready, 30_000, forward);
      const client = new pg.Client({ host: '127.0.0.1', port, user: dbUser, password: dbPassword, database: 'app' });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as T[];
      } finally {
        await client.end();
      }
    } finally {
      forward.kill();
    }
  }

  return {
    name: access.name,
    baseUrl: access.baseUrl,
    k6Env: access.k6Env,
    jwtSecret,
    accessTokenTtlSeconds: 900,
    sql,
    faults,
    async recover() {
      for (const node of poweredOff.splice(0)) await access.powerOn(node);
    },
    async dispose() {
      for (const node of poweredOff.splice(0)) await access.powerOn(node);
    },
  };
}
