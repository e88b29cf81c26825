/**
 * Visits an error and everything wrapped inside it (Prisma's `meta.driverAdapterError`, the driver's
 * `cause`), breadth first, until `visit` returns a value.
 */
export function findInErrorChain<T>(error: unknown, visit: (e: Record<string, unknown>) => T | undefined): T | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const e = current as Record<string, unknown>;
    const found = visit(e);
    if (found !== undefined) return found;
    queue.push(e.cause, e.meta, e.driverAdapterError);
  }
  return undefined;
}

/** The PostgreSQL SQLSTATE behind an error, wherever Prisma or the driver adapter put it. */
export function sqlState(error: unknown): string | undefined {
  return findInErrorChain(error, (e) => {
    for (const value of [e.originalCode, e.code]) {
      if (typeof value === 'string' && /^[0-9A-Z]{5}$/.test(value) && !value.startsWith('P')) return value;
    }
    return undefined;
  });
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
/** Deadlocks and serialisation failures are safe to retry as a whole transaction. */
export const RETRYABLE = new Set(['40P01', '40001']);
