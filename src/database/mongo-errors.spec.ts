import { mongo } from 'mongoose';
import { DatabaseTimeoutError } from './deadline';
import {
  databaseFailure,
  isDuplicateKeyError,
  isTransientWriteError,
  LostRaceError,
} from './mongo-errors';

const serverError = (code: number, errmsg: string) =>
  new mongo.MongoServerError({ code, errmsg, ok: 0 });

const labelled = (error: mongo.MongoError, label: string) => {
  error.addErrorLabel(label);
  return error;
};

/** The driver's own pool errors, which it does not export from its entry point. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const poolErrors = require('mongodb/lib/cmap/errors') as {
  WaitQueueTimeoutError: new (message: string, address: string) => Error;
  PoolClosedError: new (pool: { address: string }) => Error;
};
const waitQueueTimeout = () =>
  new poolErrors.WaitQueueTimeoutError('Timed out while checking out', 'db:1');
const poolClosed = () => new poolErrors.PoolClosedError({ address: 'db:1' });

/** InternalError (code 1) as FerretDB reports a failure of its PostgreSQL backend. */
const backendError = (message: string) => serverError(1, message);

describe('mongo-errors', () => {
  describe('isDuplicateKeyError()', () => {
    it('recognises duplicate keys only', () => {
      expect(isDuplicateKeyError(serverError(11000, 'E11000'))).toBe(true);
      expect(isDuplicateKeyError(serverError(112, 'WriteConflict'))).toBe(
        false,
      );
      expect(isDuplicateKeyError(new Error('x'))).toBe(false);
    });
  });

  describe('isTransientWriteError()', () => {
    it.each([
      ['a PostgreSQL deadlock', serverError(16908292, 'deadlock detected')],
      ['a MongoDB write conflict', serverError(112, 'WriteConflict')],
      [
        'a deadlock reported under a generic code',
        serverError(1, 'ERROR: deadlock detected (SQLSTATE 40P01)'),
      ],
      [
        'an error labelled retryable',
        labelled(serverError(91, 'ShutdownInProgress'), 'RetryableWriteError'),
      ],
      ['a race the service lost', new LostRaceError('appeared')],
    ])('treats %s as transient', (_, error) => {
      expect(isTransientWriteError(error)).toBe(true);
    });

    it('does not treat client errors as transient', () => {
      expect(isTransientWriteError(serverError(11000, 'E11000'))).toBe(false);
      expect(isTransientWriteError(new Error('deadlock detected'))).toBe(false);
    });
  });

  describe('databaseFailure()', () => {
    it.each([
      ['the request deadline', new DatabaseTimeoutError(2000)],
      [
        "the driver's operation timeout",
        new mongo.MongoOperationTimeoutError('Timed out during socket read'),
      ],
      [
        'a socket timeout',
        new mongo.MongoNetworkTimeoutError('connection 3 timed out'),
      ],
      ['a wait for a pooled connection', waitQueueTimeout()],
      ['ExceededTimeLimit (262)', serverError(262, 'operation exceeded time')],
      ['MaxTimeMSExpired (50)', serverError(50, 'operation exceeded time')],
    ])('classifies %s as a timeout', (_, error) => {
      expect(databaseFailure(error)).toBe('timeout');
    });

    it.each([
      ['NotWritablePrimary', 10107],
      ['NotPrimaryNoSecondaryOk', 13435],
      ['NotPrimaryOrSecondary', 13436],
      ['InterruptedAtShutdown', 11600],
      ['InterruptedDueToReplStateChange', 11602],
      ['PrimarySteppedDown', 189],
      ['ShutdownInProgress', 91],
      ['HostUnreachable', 6],
      ['HostNotFound', 7],
      ['NetworkTimeout', 89],
      ['SocketException', 9001],
    ])(
      'classifies the state-change or shutdown code %s (%d) as unavailable',
      (name, code) => {
        expect(databaseFailure(serverError(code, name))).toBe('unavailable');
      },
    );

    it.each([
      'ResetPool',
      'SystemOverloadedError',
      'RetryableError',
      'TransientTransactionError',
    ])(
      'classifies an error labelled %s, its retries spent, as unavailable',
      (label) => {
        const error = labelled(serverError(2, 'BadValue'), label);
        expect(databaseFailure(error)).toBe('unavailable');
      },
    );

    it.each([
      ['a lost connection', new mongo.MongoNetworkError('connection refused')],
      [
        'a failed server selection',
        Object.assign(new Error('Server selection timed out after 1000 ms'), {
          name: 'MongooseServerSelectionError',
        }),
      ],
      ['a closed client', new mongo.MongoClientClosedError()],
      ['a closed pool', poolClosed()],
      ['a closed topology', new mongo.MongoTopologyClosedError()],
      [
        'a command before the first connection',
        new Error(
          'Cannot call `sessions.findOne()` before initial connection is complete if `bufferCommands = false`.',
        ),
      ],
    ])('classifies %s as unavailable', (_, error) => {
      expect(databaseFailure(error)).toBe('unavailable');
    });

    it.each([
      'terminating connection due to unexpected postmaster exit',
      'terminating connection due to administrator command',
      'terminating connection because of crash of another server process',
      'the database system is starting up',
      'the database system is shutting down',
      'the database system is in recovery mode',
      'the database system is not yet accepting connections',
      'failed to connect to `user=postgres database=postgres`: 127.0.0.1:5432 (127.0.0.1): dial error: dial tcp 127.0.0.1:5432: connect: connection refused',
      'read tcp 127.0.0.1:51234->127.0.0.1:5432: read: connection reset by peer',
      'write tcp 127.0.0.1:51234->127.0.0.1:5432: write: broken pipe',
      'unexpected EOF',
      'conn closed',
      'sorry, too many clients already',
      'remaining connection slots are reserved for roles with the SUPERUSER attribute',
      'cannot execute INSERT in a read-only transaction',
      'canceling statement due to statement timeout',
      'timeout: context deadline exceeded',
      'FATAL: something new (SQLSTATE 57P01)',
      'server closed the connection unexpectedly',
    ])(
      'classifies the engine backend failure "%s" as unavailable',
      (message) => {
        expect(databaseFailure(backendError(message))).toBe('unavailable');
      },
    );

    it('classifies contention the retries could not resolve as contention', () => {
      expect(databaseFailure(serverError(112, 'WriteConflict'))).toBe(
        'contention',
      );
      expect(databaseFailure(new LostRaceError('appeared'))).toBe('contention');
    });

    it.each([
      ['a duplicate key', serverError(11000, 'E11000 duplicate key')],
      ['a bad value', serverError(2, 'BadValue')],
      [
        'an engine bug under InternalError',
        backendError('invalid input syntax for type jsonb'),
      ],
      ['a programming error', new TypeError('x is not a function')],
      ['a plain error mentioning refusal', new Error('connection refused')],
      ['a non-error', 'connection refused'],
    ])('leaves %s unclassified (a logged 500)', (_, error) => {
      expect(databaseFailure(error)).toBeUndefined();
    });
  });
});
