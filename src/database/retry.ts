import { setTimeout as sleep } from 'node:timers/promises';
import { remainingMs } from './deadline';
import { isTransientWriteError } from './mongo-errors';

const ATTEMPTS = 6;

/**
 * Runs `operation` again when it fails with a transient write error (a lost
 * race inside the engine), with growing, jittered pauses so that racers spread
 * out. Other errors, and the last transient one, are thrown to the caller; so
 * is a transient one whose pause would not end before the request's deadline
 * (the retries stay inside the request's time bound). Only idempotent
 * operations belong here.
 */
export async function retryTransient<T>(
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransientWriteError(error)) throw error;
      const pause = Math.random() * 10 * 2 ** attempt;
      if (pause >= remainingMs()) throw error;
      await sleep(pause);
    }
  }
}
