import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Below this, gzip's framing costs more than it saves. */
const MIN_GZIP_BYTES = 1024;

/**
 * A cached JSON body and, made on first demand and kept with it, its gzip.
 * A catalog page is ~7 KB of JSON (~0.9 KB gzipped) and shoppers on mobile data
 * pay for every byte; compressing once per cache entry costs nothing per
 * response (docs/decisions/0003-catalog-cache.md).
 */
export class CachedBody {
  private gzipped: Buffer | undefined;
  constructor(readonly raw: Buffer) {}

  get gzip(): Buffer {
    this.gzipped ??= gzipSync(this.raw, { level: 6 });
    return this.gzipped;
  }
}

/** Whether an Accept-Encoding header admits gzip (RFC 9110 §12.5.3: "gzip" or "*", q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name === 'gzip' || name === 'x-gzip') gzip = weight;
    else if (name === '*') star = weight;
  }
  return (gzip ?? star ?? 0) > 0;
}

/** Sends a cached JSON body as it is, gzipped when the client accepts it and it is worth it. */
export function sendCachedJson(request: FastifyRequest, reply: FastifyReply, body: CachedBody) {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (body.raw.length >= MIN_GZIP_BYTES && acceptsGzip(request.headers['accept-encoding'])) {
    return reply.header('content-encoding', 'gzip').send(body.gzip);
  }
  return reply.send(body.raw);
}
