import { PrismaPg } from '@prisma/adapter-pg';
import type { PoolConfig } from 'pg';
import type { Config } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { findInErrorChain } from './errors.js';

export type Db = PrismaClient;

/**
 * A bounded pool with connect and statement timeouts: a stuck database makes
 * requests fail fast instead of piling up. pg drops a broken connection from
 * the pool on error, so after a failover the next query opens a fresh one to
 * whatever the URL now resolves to (CNPG's -rw Service) without a restart.
 */
export function poolConfig(url: string, config: Config, applicationName: string): PoolConfig {
  return {
    connectionString: url,
    max: config.DATABASE_POOL_MAX,
    connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS * 2,
    application_name: applicationName,
    keepAlive: true,
  };
}

export function createDb(url: string, config: Config, applicationName = 'dhakacart-api', onError: (error: Error) => void = () => {}): Db {
  const adapter = new PrismaPg(poolConfig(url, config, applicationName), { onPoolError: onError, onConnectionError: onError });
  return new PrismaClient({
    adapter,
    transactionOptions: { maxWait: config.DATABASE_CONNECT_TIMEOUT_MS, timeout: config.DATABASE_STATEMENT_TIMEOUT_MS * 2 },
  });
}

const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|timeout exceeded when trying to connect|Connection terminated|terminating connection|Can't reach database server|the database system is (starting up|shutting down|in recovery mode)|cannot execute .* in a read-only transaction/i;
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
  '08003',
  '25006',
  'P1001',
  'P1017',
]);
// Prisma's driver-adapter error kinds that mean "no usable connection".
const CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TlsConnectionError']);

/** True when an error means "this server is unreachable or not usable now", not "the query is wrong". */
export function isConnectionError(error: unknown): boolean {
  const found = findInErrorChain(error, (e) => {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.originalCode === 'string' && CONNECTION_CODES.has(e.originalCode)) return true;
    if (typeof e.kind === 'string' && CONNECTION_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && CONNECTION_ERROR.test(e.message)) return true;
    return undefined;
  });
  return found === true;
}

/**
 * SQLSTATEs (and Prisma codes) that mean "too busy right now", not "this request is wrong": a
 * statement timeout or lock wait under load, the server out of connections, an interactive
 * transaction that could not start or ran out of time. Answered 503 with Retry-After, like a
 * lost connection, so clients retry instead of seeing a 500.
 */
const BUSY_CODES = new Set(['57014', '55P03', '53300', '53400', 'P2028', 'P2024']);

export function isDatabaseBusy(error: unknown): boolean {
  const found = findInErrorChain(error, (e) => {
    for (const value of [e.code, e.originalCode]) if (typeof value === 'string' && BUSY_CODES.has(value)) return true;
    return undefined;
  });
  return found === true;
}
