import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The time bound of one request's database work. The driver in use (7.x)
 * accepts `timeoutMS` but ignores it, and its per-socket timeouts bound each
 * round trip, not a request: server selection, a pool wait, a read the driver
 * retries and the service's own retries of lost races add up. So the bound is
 * kept here, once per request, and everything that waits on the database
 * (retry pauses included) reads the time left from it.
 */
const deadlines = new AsyncLocalStorage<number>();

/** The request's database work did not finish within its bound. */
export class DatabaseTimeoutError extends Error {
  override readonly name = 'DatabaseTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`The database did not answer within ${timeoutMs} ms`);
  }
}

/** Milliseconds left before the current request's deadline; Infinity outside one. */
export function remainingMs(): number {
  const deadline = deadlines.getStore();
  return deadline === undefined ? Infinity : deadline - Date.now();
}

/**
 * `operation` bounded by `timeoutMs`: its result, or DatabaseTimeoutError when
 * the deadline passes first. What `operation` awaits sees the deadline
 * (remainingMs). On expiry the work is abandoned, not undone: whatever it had
 * sent may still be applied, which is why every write is idempotent.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  operation: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseTimeoutError(timeoutMs)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      deadlines.run(Date.now() + timeoutMs, operation),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
