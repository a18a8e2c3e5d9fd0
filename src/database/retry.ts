import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientWriteError } from './mongo-errors';

export const TRANSIENT_RETRY_ATTEMPTS = 6;

/**
 * Runs `operation` again when it fails with a transient write error (a lost
 * race inside the engine), with growing, jittered pauses so that racers spread
 * out. Other errors, and the last transient one, are thrown to the caller.
 * Only idempotent operations belong here.
 */
export async function retryTransient<T>(
  operation: (attempt: number) => Promise<T>,
  attempts = TRANSIENT_RETRY_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !isTransientWriteError(error)) throw error;
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
