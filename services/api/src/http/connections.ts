import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** How long, and how many bytes, a closing connection keeps reading what the client still sends. */
const LINGER_MS = 5_000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * Close a connection after its answer without a TCP reset, like nginx's
 * lingering_close: send the answer and FIN, then keep reading and discarding
 * what the client is still sending (the rest of a refused 5 MB upload) until it
 * closes its side, or LINGER_MS or LINGER_BYTES pass. Closing at once with
 * unread data makes the kernel send RST, and most clients then report
 * "connection reset" instead of the 413 or 431 they were sent.
 */
export function lingeringClose(socket: Socket, answer?: string) {
  if (socket.destroyed) return;
  let drained = 0;
  const finish = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(finish, LINGER_MS);
  timer.unref();
  socket.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > LINGER_BYTES) finish();
  });
  socket.once('end', finish);
  socket.once('close', () => clearTimeout(timer));
  socket.on('error', () => {});
  socket.resume();
  if (answer !== undefined && socket.writable) socket.end(answer);
  else socket.end();
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (a 100 KB URL,
 * oversized headers, a malformed request line, a client too slow to send its
 * headers): answered in the shop's error shape, with a request id and a
 * machine-readable code like every other answer, then closed gently.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the URL or the headers are too large (16 KB at most, together)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request took too long to arrive']
        : [400, 'MALFORMED_REQUEST', 'the request is not valid HTTP'];
  const requestId = randomUUID();
  this.log.info({ reqId: requestId, code: error.code, statusCode: status }, 'refused a malformed request');
  const body = JSON.stringify({ error: { code, message, requestId } });
  lingeringClose(
    socket,
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * When an answer closes the connection before the request body has arrived
 * (Fastify does so for a 413, to stop reading a body it will not use), close it
 * gently: Node would otherwise destroy the socket right after writing the answer.
 */
export function closeRefusedUploadsGently(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply) => {
    if (request.raw.complete || reply.getHeader('connection') !== 'close') return;
    const socket = request.raw.socket as Socket & { destroySoon?: () => void };
    socket.destroySoon = () => lingeringClose(socket);
  });
}
