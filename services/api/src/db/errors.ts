/** The PostgreSQL SQLSTATE behind an error, wherever Prisma or the driver adapter put it. */
export function sqlState(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const e = current as Record<string, unknown>;
    for (const field of ['originalCode', 'code']) {
      const value = e[field];
      if (typeof value === 'string' && /^[0-9A-Z]{5}$/.test(value) && !value.startsWith('P')) return value;
    }
    queue.push(e.cause, e.meta, e.driverAdapterError);
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
/** Deadlocks and serialisation failures are safe to retry as a whole transaction. */
export const RETRYABLE = new Set(['40P01', '40001']);
