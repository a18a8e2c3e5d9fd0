import { mongo } from 'mongoose';
import {
  isDatabaseUnavailableError,
  isDuplicateKeyError,
  isTransientWriteError,
} from './mongo-errors';

const serverError = (code: number, errmsg: string) =>
  new mongo.MongoServerError({ code, errmsg, ok: 0 });

describe('mongo-errors', () => {
  it('recognises duplicate keys', () => {
    expect(isDuplicateKeyError(serverError(11000, 'E11000'))).toBe(true);
    expect(isDuplicateKeyError(serverError(112, 'WriteConflict'))).toBe(false);
    expect(isDuplicateKeyError(new Error('x'))).toBe(false);
  });

  it.each([
    ['a PostgreSQL deadlock', serverError(16908292, 'deadlock detected')],
    ['a MongoDB write conflict', serverError(112, 'WriteConflict')],
    [
      'a deadlock reported under a generic code',
      serverError(1, 'ERROR: deadlock detected (SQLSTATE 40P01)'),
    ],
  ])('treats %s as transient', (_, error) => {
    expect(isTransientWriteError(error)).toBe(true);
  });

  it('treats errors labelled retryable as transient', () => {
    const error = serverError(91, 'ShutdownInProgress');
    error.addErrorLabel('RetryableWriteError');
    expect(isTransientWriteError(error)).toBe(true);
  });

  it('does not treat client errors as transient', () => {
    expect(isTransientWriteError(serverError(11000, 'E11000'))).toBe(false);
    expect(isTransientWriteError(new Error('deadlock detected'))).toBe(false);
  });

  it('recognises an unreachable database', () => {
    expect(
      isDatabaseUnavailableError(
        new mongo.MongoNetworkError('connection refused'),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailableError(
        new Error(
          'Cannot call `sessions.findOne()` before initial connection is complete if `bufferCommands = false`.',
        ),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailableError(serverError(11000, 'E11000'))).toBe(
      false,
    );
  });
});
