export { type PostgresServer, postgresBinDir, startPostgres } from './postgres.js';
export { childPids, freePort, portInUse, spawnServer, stopChild, waitFor } from './processes.js';
export { type RedisServer, startRedis } from './redis.js';
