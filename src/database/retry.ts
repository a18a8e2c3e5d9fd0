import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientWriteError } from './mongo-errors';

const ATTEMPTS = 6;

/**
 * Runs `operation` again when it fails with a transient write error (a lost
 * race inside the engine), with growing, jittered pauses so that racers spread
 * out. Other errors, and the last transient one, are thrown to the caller.
 * Only idempotent operations belong here.
 */
export async function retryTransient<T>(
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransientWriteError(error)) throw error;
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
