/**
 * The built storefront (dist/) with the single-page-app fallback, and /v1 proxied to the API, on one
 * origin: what nginx does in the cluster, for `make up` and the browser tests. No CORS is involved.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { DEMO_IMAGE_ROOT } from '../../services/api/src/seed/product-images.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

// font-src data: is for the Taka sign's font, inlined into the stylesheet (src/styles.css).
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export function createStorefrontServer(options: { dist: string; apiUrl: string }): Server {
  const api = new URL(options.apiUrl);
  const dist = normalize(options.dist);
  const index = readFileSync(join(dist, 'index.html'));
  const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };
  // The same policy as web/nginx.conf: the browser tests run the app under it, so a violation fails them.
  const page = { ...common, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' };
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
      const upstream = httpRequest(
        { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BAD_GATEWAY', message: 'the API is not answering', requestId: '-' } }));
      });
      req.pipe(upstream);
      return;
    }
    let path: string;
    try {
      path = normalize(join(dist, decodeURIComponent(url.pathname)));
    } catch {
      res.writeHead(400, common).end();
      return;
    }
    if (path.startsWith(dist) && existsSync(path) && statSync(path).isFile()) {
      // Hashed asset names and demo photos (in a folder named by a digest of the drawings) never change
      // content: cache them for good; everything else revalidates.
      const immutable = url.pathname.startsWith('/assets/') || url.pathname.startsWith(DEMO_IMAGE_ROOT);
      const cache = immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
      const headers = extname(path) === '.html' ? page : common;
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': cache });
      res.end(readFileSync(path));
    } else if (extname(url.pathname)) {
      res.writeHead(404, { ...common, 'content-type': 'text/plain' }).end('not found');
    } else {
      res.writeHead(200, { ...page, 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }).end(index);
    }
  });
}
