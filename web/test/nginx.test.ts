/**
 * web/nginx.conf as the cluster runs it, against the same build: every kind of path gets the headers
 * the test server (server/static-proxy.ts, which the browser tests run behind) sends. Needs an nginx
 * binary: NGINX_PATH, /usr/sbin/nginx, or one unpacked from Debian's package into .cache/nginx
 * (`apt-get download nginx nginx-common && dpkg-deb -x` each .deb there; unpacked, no service starts);
 * without one, only the first test (the file read as text) runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@dhakacart/devstack';
import t from 'tap';
import { DEMO_IMAGE_FINISHES, demoImagePath } from '../../services/api/src/seed/product-images.ts';
import { CONTENT_SECURITY_POLICY, createStorefrontServer } from '../server/static-proxy.ts';
import { ensureBuilt, webRoot } from './helpers/storefront.ts';

const nginx = [process.env.NGINX_PATH, '/usr/sbin/nginx', join(webRoot, '..', '.cache', 'nginx', 'usr', 'sbin', 'nginx')].find(
  (path): path is string => !!path && existsSync(path),
);
const HEADERS = ['cache-control', 'content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'];

async function headersOf(base: string, path: string): Promise<Record<string, string | number | null>> {
  const res = await fetch(base + path);
  await res.arrayBuffer();
  return {
    status: res.status,
    // Debian's nginx 1.22 names JavaScript application/javascript, newer ones text/javascript: both are right.
    type: (res.headers.get('content-type') ?? '').split(';')[0]?.replace('application/javascript', 'text/javascript') ?? '',
    ...Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])),
  };
}

t.test('nginx.conf caches assets and photos for a year and sends the same Content-Security-Policy (read, not run)', async (t) => {
  const conf = readFileSync(join(webRoot, 'nginx.conf'), 'utf8');
  const block = (prefix: string) => conf.match(new RegExp(`location \\^~ ${prefix} \\{([^}]*)\\}`))?.[1] ?? '';
  for (const prefix of ['/assets/', '/images/demo/']) {
    t.match(
      block(prefix),
      'add_header Cache-Control "public, max-age=31536000, immutable" always;',
      `${prefix}: cached for a year (^~, so the extension regex does not take the request)`,
    );
  }
  t.ok(conf.includes(`add_header Content-Security-Policy "${CONTENT_SECURITY_POLICY}" always;`), 'the same Content-Security-Policy');
});

t.test(
  'nginx sends what the test server sends, for pages, assets and photos',
  { skip: nginx ? false : 'no nginx binary (see the header of this file)' },
  async (t) => {
    await ensureBuilt();
    const dist = join(webRoot, 'dist');
    const port = await freePort();
    const prefix = mkdtempSync(join(tmpdir(), 'dhakacart-nginx-'));
    t.teardown(() => rmSync(prefix, { recursive: true, force: true }));
    mkdirSync(join(prefix, 'tmp'));
    const site = readFileSync(join(webRoot, 'nginx.conf'), 'utf8')
      .replace('listen 8080;', `listen 127.0.0.1:${port};`)
      .replace('root /usr/share/nginx/html;', `root ${dist};`);
    t.not(site, readFileSync(join(webRoot, 'nginx.conf'), 'utf8'), 'port and root replaced');
    const mimeTypes = join(dirname(dirname(dirname(nginx as string))), 'etc', 'nginx', 'mime.types');
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${prefix}/tmp;`).join(' ');
    writeFileSync(join(prefix, 'site.conf'), site);
    writeFileSync(
      join(prefix, 'nginx.conf'),
      `daemon off; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;\nevents {}\n` +
        `http { include ${existsSync(mimeTypes) ? mimeTypes : '/etc/nginx/mime.types'}; access_log off; ${temp} include ${prefix}/site.conf; }\n`,
    );
    const server = spawn(nginx as string, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (d) => {
      stderr += d;
    });
    t.teardown(() => {
      server.kill('SIGTERM');
    });
    const nginxUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 50; i++) {
      if (
        await fetch(nginxUrl).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    t.equal(stderr, '', 'nginx started without complaint');

    const proxy = createStorefrontServer({ dist, apiUrl: 'http://127.0.0.1:9' });
    const proxyPort = await freePort();
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    const script = readdirSync(join(dist, 'assets')).find((f) => f.endsWith('.js'));
    const photos = DEMO_IMAGE_FINISHES.map((f) => demoImagePath('smartphones', f, 320));
    const paths = [
      '/',
      '/index.html',
      '/c/smartphones',
      '/p/some-product',
      `/assets/${script}`,
      ...photos,
      '/images/products/missing.webp',
      '/missing.js',
    ];
    for (const path of paths) {
      const [fromNginx, fromTestServer] = await Promise.all([headersOf(nginxUrl, path), headersOf(`http://127.0.0.1:${proxyPort}`, path)]);
      // Error pages differ in body type only (nginx answers 404 in HTML); what matters is status and headers.
      if (fromNginx.status === 404) fromNginx.type = fromTestServer.type ?? null;
      t.same(fromNginx, fromTestServer, `${path}: ${fromNginx.status}, cache-control ${fromNginx['cache-control']}`);
    }
    const page = await headersOf(nginxUrl, '/c/smartphones');
    t.ok(
      page['content-security-policy'] && page['x-frame-options'] === 'DENY',
      'routes of the app carry the Content-Security-Policy in the cluster too',
    );
  },
);
