/**
 * The process: load config, start the app, run the pending-order reaper, and
 * shut down gracefully on SIGTERM (Kubernetes) or SIGINT (Ctrl-C):
 *   1. /readyz turns 503 at once so the load balancer stops sending traffic;
 *   2. keep serving for SHUTDOWN_DELAY_MS while endpoints propagate;
 *   3. stop accepting, wait for in-flight requests to finish, then close DB/Redis pools;
 *   4. exit 0, or exit 1 if all that takes longer than SHUTDOWN_GRACE_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { expireStalePendingOrders } from './domain/orders.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(JSON.stringify({ level: 'fatal', msg: error.message }));
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const app = await createApp(config);

const reaper = setInterval(() => {
  expireStalePendingOrders(app.db, app.payments, config.PENDING_ORDER_EXPIRY_MINUTES)
    .then((n) => n > 0 && app.log.warn({ expired: n }, 'expired stale pending orders'))
    .catch((err) => app.log.error({ err }, 'pending-order reaper failed'));
}, 60_000);
reaper.unref();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => {
    app.log.error({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'graceful shutdown timed out; exiting');
    process.exit(1);
  }, config.SHUTDOWN_GRACE_MS);
  deadline.unref();
  app.log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS }, 'shutting down: readiness off, draining');
  app.beginShutdown();
  clearInterval(reaper);
  await sleep(config.SHUTDOWN_DELAY_MS);
  // Stop accepting (idle keep-alive connections close now) and wait for in-flight requests:
  // Fastify runs plugins' onClose hooks (which end the pools) without waiting for requests
  // still using them. Their answers carry Connection: close. What is left after that carries
  // no request we owe an answer (idle, or a request still arriving), so it is closed at once
  // instead of holding the process until the 65 s keep-alive or the request timeout.
  app.server.close();
  await app.drain();
  app.server.closeAllConnections();
  await app.close();
  app.log.info('shutdown complete');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (reason) => {
  app.log.fatal({ err: reason }, 'unhandled rejection');
});

try {
  await app.listen({ host: config.HOST, port: config.PORT });
} catch (error) {
  app.log.fatal({ err: error }, 'could not start');
  process.exit(1);
}
