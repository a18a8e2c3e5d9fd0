import { mongo } from 'mongoose';
import { DatabaseTimeoutError } from './deadline';

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
 * MongoDB server codes that say the server is changing state (an election, a
 * step-down), shutting down, or cannot reach its peers: nothing about the
 * request is wrong, and the same request can succeed shortly.
 */
const UNAVAILABLE_CODES = new Set([
  10107, // NotWritablePrimary
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  189, // PrimarySteppedDown
  91, // ShutdownInProgress
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  9001, // SocketException
]);

/** Server codes that say an operation ran out of its time limit. */
const TIME_LIMIT_CODES = new Set([
  262, // ExceededTimeLimit
  50, // MaxTimeMSExpired
]);

/** Labels the driver puts on errors worth retrying; seen here once its retries are spent. */
const RETRYABLE_LABELS = [
  'RetryableWriteError',
  'TransientTransactionError',
  'ResetPool',
  'SystemOverloadedError',
  'RetryableError',
];

/**
 * FerretDB reports a failure of its PostgreSQL backend as InternalError
 * (code 1) carrying PostgreSQL's message, or the pgx client's error text when
 * it could not reach PostgreSQL at all. These are the messages of a backend
 * that is down, restarting, failing over or overloaded (SQLSTATE classes 08,
 * 57P, 53300 and 25006), as opposed to a bug.
 */
const BACKEND_FAILURE = new RegExp(
  [
    'terminating connection', // 57P01/57P02/57P05: shutdown, postmaster exit, crash of a peer
    'the database system is (?:starting up|shutting down|in recovery mode|not (?:yet )?accepting connections)', // 57P03
    'server closed the connection unexpectedly',
    'failed to connect to',
    'connection refused',
    'connection reset by peer',
    'broken pipe',
    'unexpected EOF',
    'conn closed',
    'no connection to the server',
    'too many clients already',
    'remaining connection slots are reserved', // 53300
    'cannot execute \\w+ in a read-only transaction', // 25006: a standby after a failover
    'canceling statement due to (?:statement timeout|conflict with recovery)',
    'context deadline exceeded',
    'SQLSTATE (?:08[0-9A-Z]{3}|57P0[1-5]|53300|25006)',
  ].join('|'),
  'i',
);

/** Why a request failed because of the database, when it did. */
export type DatabaseFailure = 'timeout' | 'unavailable' | 'contention';

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

/** The database, or the request's time bound, ran out: answer 503, not 500. */
export function isTimeoutError(error: unknown): boolean {
  return (
    error instanceof DatabaseTimeoutError ||
    error instanceof mongo.MongoOperationTimeoutError ||
    error instanceof mongo.MongoNetworkTimeoutError ||
    // The pool's wait queue; the driver does not export its class.
    (error instanceof mongo.MongoError &&
      (error.name === 'MongoWaitQueueTimeoutError' ||
        TIME_LIMIT_CODES.has(codeOf(error) as number)))
  );
}

/** The database cannot be reached, is shutting down or changing state: answer 503, not 500. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError ||
    error instanceof mongo.MongoClientClosedError ||
    error instanceof mongo.MongoServerClosedError
  ) {
    return true;
  }
  if (error instanceof mongo.MongoError) {
    if (error.name === 'MongoPoolClosedError') return true;
    if (RETRYABLE_LABELS.some((label) => error.hasErrorLabel(label)))
      return true;
    if (UNAVAILABLE_CODES.has(codeOf(error) as number)) return true;
    if (error instanceof mongo.MongoServerError)
      return BACKEND_FAILURE.test(error.message);
  }
  // Mongoose wraps the driver's selection error, and reports commands issued
  // while disconnected with bufferCommands off, under its own names.
  return (
    error.name === 'MongooseServerSelectionError' ||
    /before initial connection is complete|Client must be connected/i.test(
      error.message,
    )
  );
}

/**
 * Whether `error` means the database failed the request (and which way), or
 * undefined for anything else, which is a bug to log and answer 500.
 */
export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  if (isTimeoutError(error)) return 'timeout';
  if (isDatabaseUnavailableError(error)) return 'unavailable';
  if (isTransientWriteError(error)) return 'contention';
  return undefined;
}
