import { Logger, NotFoundException } from '@nestjs/common';
import { mongo } from 'mongoose';
import { catchWith, type Sent } from '../../test/support/http-fakes';
import { LostRaceError } from '../database/mongo-errors';
import type { Metrics } from '../metrics/metrics';
import { ApiError } from './api-error';
import { ProblemFilter } from './problem.filter';

describe('ProblemFilter: errors of the database and the unexpected', () => {
  let metrics: { databaseError: jest.Mock };
  let filter: ProblemFilter;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    metrics = { databaseError: jest.fn() };
    filter = new ProblemFilter(metrics as unknown as Metrics);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation();
  });
  afterEach(() => jest.restoreAllMocks());

  const handle = (
    exception: unknown,
    options?: Parameters<typeof catchWith>[2],
  ): Sent => catchWith(filter, exception, options);

  describe('database errors', () => {
    it.each([
      [
        'an unreachable database',
        new mongo.MongoNotConnectedError('Client must be connected'),
      ],
      ['a network error', new mongo.MongoNetworkError('connection reset')],
      [
        'a write that kept losing races',
        new mongo.MongoServerError({ code: 112, errmsg: 'WriteConflict' }),
      ],
      ['a lost race', new LostRaceError('changed meanwhile')],
    ])('answers %s 503 with Retry-After, and counts it', (_, exception) => {
      const sent = handle(exception);
      expect(sent.status).toBe(503);
      expect(sent.headers['retry-after']).toBe('1');
      expect(sent.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      // The caller cannot know whether the write was applied: say it is safe to retry.
      expect((sent.body as { detail: string }).detail).toMatch(
        /retry shortly\. .*retrying it unchanged is safe, because every write is idempotent\.$/,
      );
      expect(metrics.databaseError).toHaveBeenCalledTimes(1);
    });

    it('does not count other problems as database errors', () => {
      handle(new ApiError('SESSION_NOT_FOUND', 'nope'));
      handle(new Error('boom'));
      expect(metrics.databaseError).not.toHaveBeenCalled();
    });
  });

  describe('unexpected errors', () => {
    it('answers 500 INTERNAL_ERROR without the message or stack', () => {
      const sent = handle(new Error('E11000 duplicate key at MongoClient'));
      expect(sent.status).toBe(500);
      expect(sent.body).toMatchObject({
        code: 'INTERNAL_ERROR',
        detail: 'An unexpected error occurred.',
      });
      expect(JSON.stringify(sent.body)).not.toMatch(/E11000|Mongo|stack/);
    });

    it.each([
      ['a string', 'boom'],
      ['undefined', undefined],
      ['null', null],
    ])('answers a thrown %s as 500 too', (_, thrown) => {
      expect(handle(thrown).body?.code).toBe('INTERNAL_ERROR');
    });
  });

  describe('logging', () => {
    it('logs a 500 as an error with the exception and the request id', () => {
      const exception = new Error('boom');
      handle(exception);
      expect(error).toHaveBeenCalledWith(
        { err: exception, requestId: 'req-1' },
        'INTERNAL_ERROR: An unexpected error occurred.',
      );
      expect(warn).not.toHaveBeenCalled();
    });

    it('logs a 503 as a warning', () => {
      handle(new mongo.MongoNetworkError('reset'));
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ requestId: 'req-1' }),
        expect.stringMatching(/^DATABASE_UNAVAILABLE: /),
      );
      expect(error).not.toHaveBeenCalled();
    });

    it('does not log 4xx problems', () => {
      handle(new ApiError('VALIDATION_FAILED', 'bad'));
      handle(new NotFoundException());
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    });

    it('still logs, but sends nothing, when the response has already started', () => {
      const sent = handle(new Error('late'), { headersSent: true });
      expect(error).toHaveBeenCalledTimes(1);
      expect(sent.status).toBeUndefined();
      expect(sent.body).toBeUndefined();
    });
  });
});
