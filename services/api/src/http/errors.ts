import type { FastifyError, FastifyInstance } from 'fastify';
import { isConnectionError, isDatabaseBusy } from '../db/client.js';
import { AppError } from '../errors.js';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_CONTENT_LENGTH'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'EMPTY_JSON_BODY'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_CTP_INVALID_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_BAD_URL: [400, 'BAD_URL'],
  FST_ERR_MAX_PARAM_LENGTH: [400, 'PARAM_TOO_LONG'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'BAD_REQUEST'],
};

/**
 * The router's own errors (a malformed URL, an overlong parameter) happen before
 * any route or hook, so Fastify hands them to `frameworkErrors` instead of the
 * error handler: same table, same body.
 */
export function frameworkErrorBody(
  error: FastifyError,
  requestId: string,
): [number, { error: { code: string; message: string; requestId: string } }] {
  const [status, code] = FASTIFY_CODES[error.code] ?? [400, 'BAD_REQUEST'];
  return [status, { error: { code, message: 'the request URL is not valid', requestId } }];
}

/** Maps every error to the one response shape; 5xx bodies never carry internals. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError & { details?: unknown }, request, reply) => {
    const requestId = String(request.id);
    const send = (status: number, code: string, message: string, details?: unknown) =>
      reply.status(status).send({ error: { code, message, requestId, ...(details === undefined ? {} : { details }) } });

    if (error instanceof AppError) {
      if (error.statusCode === 429 && typeof (error.details as { retryAfterSeconds?: number })?.retryAfterSeconds === 'number') {
        reply.header('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      return send(error.statusCode, error.code, error.message, error.details);
    }
    if (error.validation) {
      const details = error.validation.map((v) => ({
        in: error.validationContext,
        path: v.instancePath || '/',
        message: v.message,
        ...(v.params && 'additionalProperty' in v.params ? { field: v.params.additionalProperty } : {}),
      }));
      return send(
        400,
        'VALIDATION_FAILED',
        `invalid ${error.validationContext ?? 'request'}: ${details[0]?.path} ${details[0]?.message}`,
        details,
      );
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return send(mapped[0], mapped[1], error.message);
    if (error instanceof SyntaxError) return send(400, 'INVALID_JSON', 'request body is not valid JSON');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(error.statusCode, 'BAD_REQUEST', error.message);
    }
    if (isConnectionError(error) || isDatabaseBusy(error)) {
      request.log.error({ err: error }, 'database unavailable or too busy');
      reply.header('Retry-After', '2');
      return send(503, 'SERVICE_UNAVAILABLE', 'the shop is briefly unavailable; please retry');
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(500, 'INTERNAL_ERROR', 'something went wrong on our side; it has been logged');
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        requestId: String(request.id),
      },
    }),
  );
}
