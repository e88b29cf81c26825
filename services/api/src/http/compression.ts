import { createHash } from 'node:crypto';
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
  private tag: string | undefined;
  constructor(readonly raw: Buffer) {}

  get gzip(): Buffer {
    this.gzipped ??= gzipSync(this.raw, { level: 6 });
    return this.gzipped;
  }

  /**
   * A weak validator (the JSON, whichever encoding carries it): the same bytes always give the
   * same tag, on every pod, so a browser or CDN revalidating gets 304 from any of them.
   */
  get etag(): string {
    this.tag ??= `W/"${createHash('sha1').update(this.raw).digest('base64url').slice(0, 22)}"`;
    return this.tag;
  }
}

/** If-None-Match names this validator (weak comparison, RFC 9110 §13.1.2), or is "*". */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.slice(2);
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === opaque || tag.slice(2) === opaque;
  });
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

/**
 * Sends a cached public catalog answer as it is, gzipped when the client accepts it and it is
 * worth it, with a validator. Browsers keep it but revalidate every use (`no-cache`): a current
 * copy costs a 304 with no body, and a staff edit shows at once. A CDN in front (RFC 9213
 * `CDN-Cache-Control`) reuses it for `maxAgeSeconds` and serves it stale for `staleSeconds` more
 * while it revalidates: during a sale it absorbs most catalog reads, at the price of stock up to
 * that old on cards (checkout itself is always exact). Only catalog answers come here: nothing
 * per-user is ever marked public.
 */
export function sendCachedJson(
  request: FastifyRequest,
  reply: FastifyReply,
  body: CachedBody,
  freshness: { maxAgeSeconds: number; staleSeconds: number },
) {
  reply
    .header('vary', 'accept-encoding')
    .header('etag', body.etag)
    .header('cache-control', 'public, no-cache')
    .header('cdn-cache-control', `public, max-age=${freshness.maxAgeSeconds}, stale-while-revalidate=${freshness.staleSeconds}`);
  if (notModified(request.headers['if-none-match'], body.etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (body.raw.length >= MIN_GZIP_BYTES && acceptsGzip(request.headers['accept-encoding'])) {
    return reply.header('content-encoding', 'gzip').send(body.gzip);
  }
  return reply.send(body.raw);
}
