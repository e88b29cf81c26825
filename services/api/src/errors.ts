/**
 * The one error type. Every 4xx the API sends is an AppError with a stable,
 * machine-readable code; anything else is a fault and becomes a 500 whose body
 * says nothing about internals.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (code = 'UNAUTHORIZED', message = 'authentication required') => new AppError(401, code, message);
export const forbidden = (message = 'you do not have permission for this action') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
