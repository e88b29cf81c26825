/** `node --import tsx web/server/serve.ts`: serve web/dist on HOST:PORT with /v1 proxied to API_URL (used by `make up`). */
import { join } from 'node:path';
import { createStorefrontServer } from './static-proxy.ts';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
const server = createStorefrontServer({ dist: join(import.meta.dirname, '..', 'dist'), apiUrl });
server.listen(port, host, () => console.log(`storefront on http://${host}:${port} (API ${apiUrl})`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
