import { mongo } from 'mongoose';

/**
 * One place that knows what driver and engine errors mean. Everything else asks
 * these questions instead of reading error codes.
 */

const DUPLICATE_KEY = 11000;
/** MongoDB: a concurrent write touched the same document. */
const WRITE_CONFLICT = 112;
/**
 * PostgreSQL-backed engines (DocumentDB behind FerretDB) enforce unique indexes
 * with an exclusion constraint; racing inserts of one key can abort with
 * "deadlock detected" instead of a duplicate-key error.
 */
const PG_DEADLOCK = 16908292;
const TRANSIENT_MESSAGE = /deadlock detected|could not serialize access/i;

/**
 * Raised by the service itself when an operation observed a concurrent change
 * that left nothing written (for example, a session created between a failed
 * update and the read that explains it): running it again is exact.
 */
export class LostRaceError extends Error {
  override readonly name = 'LostRaceError';
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error
    ? error.code
    : undefined;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return codeOf(error) === DUPLICATE_KEY;
}

/** A write that failed because of a concurrent write, and may succeed if retried. */
export function isTransientWriteError(error: unknown): boolean {
  if (error instanceof LostRaceError) return true;
  if (!(error instanceof mongo.MongoError)) return false;
  const code = codeOf(error);
  return (
    code === WRITE_CONFLICT ||
    code === PG_DEADLOCK ||
    error.hasErrorLabel('TransientTransactionError') ||
    error.hasErrorLabel('RetryableWriteError') ||
    TRANSIENT_MESSAGE.test(error.message)
  );
}

/** The database cannot be reached (or is shutting down): answer 503, not 500. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError
  ) {
    return true;
  }
  // Mongoose wraps the driver's selection error, and reports commands issued
  // while disconnected with bufferCommands off, under its own names.
  return (
    error.name === 'MongooseServerSelectionError' ||
    error.name === 'MongoServerSelectionError' ||
    /before initial connection is complete|Client must be connected/i.test(
      error.message,
    ) ||
    (error instanceof mongo.MongoError &&
      (error.hasErrorLabel('ResetPool') ||
        error.hasErrorLabel('SystemOverloadedError')))
  );
}
