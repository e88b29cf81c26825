/**
 * Oversized and malformed HTTP, sent by real clients over real sockets: every
 * answer is the shop's error shape with a machine-readable code, and the client
 * gets to read it (no connection reset while it is still sending).
 */
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import { type Harness, harness } from './helpers/harness.js';

async function listening(h: Harness) {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return (h.app.server.address() as { port: number }).port;
}

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

/** Node's HTTP client, uploading `body` slowly (as a phone would), reading the answer whenever it comes. */
function slowUpload(port: number, path: string, body: Buffer, headers: http.OutgoingHttpHeaders): Promise<Answer> {
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
      res.on('error', (e) => resolve({ status: res.statusCode, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    request.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    (async () => {
      for (let at = 0; at < body.length && !request.destroyed; at += 64 * 1024) {
        if (!request.write(body.subarray(at, at + 64 * 1024))) await new Promise((r) => request.once('drain', r));
        await sleep(2);
      }
      request.end();
    })().catch(() => {});
  });
}

/** A raw TCP client: writes `data` in pieces, then reads until the server closes. */
function rawExchange(port: number, data: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (e) => {
      error = (e as NodeJS.ErrnoException).code ?? e.message;
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]) || undefined;
      resolve({ status, body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n'), error: status ? undefined : error });
    });
    socket.on('connect', async () => {
      for (let at = 0; at < data.length && !socket.destroyed; at += 8 * 1024) {
        socket.write(data.subarray(at, at + 8 * 1024));
        await sleep(1);
      }
    });
  });
}

function errorCode(t: Test, answer: Answer, status: number, code: string, what: string) {
  t.notOk(answer.error, `${what}: the client read the answer (no ${answer.error})`);
  t.equal(answer.status, status, `${what}: ${answer.status}`);
  let parsed: { error?: { code?: string; requestId?: string; message?: string } } = {};
  try {
    parsed = JSON.parse(answer.body ?? '');
  } catch {
    // leaves parsed empty: the assertions below fail with the body shown
  }
  t.equal(parsed.error?.code, code, `${what}: code (${answer.body?.slice(0, 120)})`);
  t.type(parsed.error?.requestId, 'string', `${what}: has a request id`);
  t.type(parsed.error?.message, 'string', `${what}: has a message`);
}

t.test('oversized and malformed requests over real sockets', async (t) => {
  const h = await harness(t, { env: { BODY_LIMIT_BYTES: '65536', RATE_LIMIT_PER_MINUTE: '100000' } });
  const port = await listening(h);
  const json = { 'content-type': 'application/json' };
  const huge = Buffer.alloc(5 * 1024 * 1024, 'a');

  for (const [what, path] of [
    ['login', '/v1/auth/login'],
    ['register', '/v1/auth/register'],
    ['refresh', '/v1/auth/refresh'],
  ] as const) {
    errorCode(
      t,
      await slowUpload(port, path, huge, { ...json, 'content-length': huge.length }),
      413,
      'PAYLOAD_TOO_LARGE',
      `5 MB ${what} body with Content-Length`,
    );
    errorCode(t, await slowUpload(port, path, huge, json), 413, 'PAYLOAD_TOO_LARGE', `5 MB ${what} body, chunked`);
  }

  const longUrl = `GET /v1/products?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: shop\r\n\r\n`;
  errorCode(t, await rawExchange(port, Buffer.from(longUrl)), 431, 'HEADERS_TOO_LARGE', '100 KB URL');
  const bigHeader = `GET /v1/products HTTP/1.1\r\nHost: shop\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`;
  errorCode(t, await rawExchange(port, Buffer.from(bigHeader)), 431, 'HEADERS_TOO_LARGE', '40 KB header');
  const manyHeaders = `GET /v1/products HTTP/1.1\r\nHost: shop\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`;
  errorCode(t, await rawExchange(port, Buffer.from(manyHeaders)), 431, 'HEADERS_TOO_LARGE', '3,000 headers');
  errorCode(t, await rawExchange(port, Buffer.from('NOT-HTTP at all\r\n\r\n')), 400, 'MALFORMED_REQUEST', 'garbage request line');
  errorCode(
    t,
    await rawExchange(
      port,
      Buffer.from('POST /v1/auth/login HTTP/1.1\r\nHost: shop\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde'),
    ),
    400,
    'MALFORMED_REQUEST',
    'two Content-Length headers (request smuggling)',
  );

  // A normal request on a fresh connection still works afterwards.
  const after = await fetch(`http://127.0.0.1:${port}/v1/categories`);
  t.equal(after.status, 200, 'the server still serves');
});

t.test('deeply nested JSON bodies are 400 on every body-taking route, never a stack overflow', async (t) => {
  const h = await harness(t);
  const u = await h.user();
  const bodies = {
    '10,000 nested arrays': `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    '5,000 nested objects': `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    'nesting inside a valid field': `{"quantity":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
  };
  const routes = h.app.accessRules.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
  t.ok(routes.length >= 8, `${routes.length} routes take a body`);
  const admin = await h.user('admin');
  for (const rule of routes) {
    const url = rule.url
      .replace(':productId', '1')
      .replace(':id', rule.url.includes('/orders/') || rule.url.includes('/users/') ? '00000000-0000-4000-8000-000000000000' : '1');
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': 'nested-body-1',
      ...(rule.access === 'staff' || rule.access === 'admin' ? admin.auth : rule.access === 'public' ? {} : u.auth),
    };
    for (const [what, payload] of Object.entries(bodies)) {
      const res = await h.app.inject({ method: rule.method as 'POST', url, headers, payload });
      t.equal(res.statusCode, 400, `${rule.method} ${rule.url}, ${what}: ${res.statusCode}`);
      t.equal(res.json().error?.code, 'TOO_DEEPLY_NESTED', `${rule.method} ${rule.url}, ${what}: code`);
    }
  }
  const ok = await h.app.inject({ method: 'GET', url: '/v1/categories' });
  t.equal(ok.statusCode, 200, 'still serving');
});
