/**
 * What a drill needs from the place it runs against: where shoppers go, how to
 * mint their tokens, how to read the database afterwards, and the faults this
 * target can inject. `local` implements it with processes, `k8s` with the local
 * Kubernetes, `lab` with the VMs.
 */
export interface Target {
  name: string;
  /** Where shoppers send requests (the ingress, or its stand-in). */
  baseUrl: string;
  /** The API's token key, to sign shoppers' tokens in bulk instead of logging in. */
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  /** A query on the current primary database (it may have moved during the drill). */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  faults: Partial<Faults>;
  /** What k6 needs to reach baseUrl (a CA file, host addresses). */
  k6Env?: Record<string, string>;
  /** After each drill: undo what the fault left behind (power a node back on), so the next starts whole. */
  recover?(): Promise<void>;
  dispose(): Promise<void>;
}

/** Each fault returns a one-line description of what it did, for the report. */
export interface Faults {
  killApiPod(): Promise<string>;
  rollingRestart(): Promise<string>;
  redisDown(seconds: number): Promise<string>;
  killDatabasePrimary(): Promise<string>;
  drainNode(): Promise<string>;
  powerOffNode(): Promise<string>;
  /** The lab: a node cut off the lab network (its VM NIC down) for `seconds`. */
  cutNodeNetwork(seconds: number): Promise<string>;
  /** The lab: a node's data disk filled but 200 MB for `seconds`. */
  fillNodeDisk(seconds: number): Promise<string>;
}
