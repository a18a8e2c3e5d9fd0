import { ConfigService } from '@nestjs/config';
import { getModelToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { mongo } from 'mongoose';
import { ApiError } from '../common/api-error';
import { Metrics } from '../metrics/metrics';
import { Session } from './schemas/session.schema';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Branches the engine cannot be made to take on demand: a create that loses
 * the insert race, and engine-level lost races (deadlock, write conflict).
 * Only the model calls the service makes are mocked.
 */
describe('SessionsService', () => {
  const stored = {
    sessionId: 's1',
    status: 'initiated',
    language: 'en',
    metadata: { a: 1 },
    startedAt: new Date('2026-11-25T10:00:00.000Z'),
    endedAt: null,
    eventCount: 0,
    createdAt: new Date('2026-11-25T10:00:00.100Z'),
    updatedAt: new Date('2026-11-25T10:00:00.100Z'),
  };
  const dto = {
    sessionId: 's1',
    language: 'en',
    metadata: { a: 1 },
    startedAt: '2026-11-25T10:00:00.000Z',
  };
  const serverError = (code: number, errmsg: string) =>
    new mongo.MongoServerError({ code, errmsg, ok: 0 });

  let service: SessionsService;
  const insertOne = jest.fn();
  const model = { collection: { insertOne }, findOne: jest.fn() };
  const findOneReturns = (value: unknown) =>
    model.findOne.mockReturnValue({
      lean: () => ({ exec: () => Promise.resolve(value) }),
    });

  beforeEach(async () => {
    jest.resetAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [
        SessionsService,
        SessionsRepository,
        { provide: getModelToken(Session.name), useValue: model },
        {
          provide: Metrics,
          useValue: { sessionWrite: jest.fn(), eventWrite: jest.fn() },
        },
        {
          provide: ConfigService,
          useValue: {
            getOrThrow: (key: string) =>
              ({ MAX_EVENTS_PER_SESSION: 10, MAX_EVENT_PAYLOAD_BYTES: 1024 })[
                key
              ],
          },
        },
      ],
    }).compile();
    service = moduleRef.get(SessionsService);
  });

  describe('create()', () => {
    it('replays the stored session when the insert loses the race with a duplicate key', async () => {
      insertOne.mockRejectedValue(serverError(11000, 'E11000 duplicate key'));
      findOneReturns(stored);

      const outcome = await service.create(dto);

      expect(outcome.created).toBe(false);
      expect(outcome.value).toMatchObject({
        sessionId: 's1',
        metadata: { a: 1 },
      });
      expect(insertOne).toHaveBeenCalledTimes(1);
    });

    it('answers SESSION_CONFLICT when the winner stored different values', async () => {
      insertOne.mockRejectedValue(serverError(11000, 'E11000 duplicate key'));
      findOneReturns({ ...stored, language: 'de' });

      await expect(service.create(dto)).rejects.toMatchObject({
        code: 'SESSION_CONFLICT',
      });
    });

    it('retries the insert after an engine deadlock when no session was stored', async () => {
      insertOne
        .mockRejectedValueOnce(serverError(16908292, 'deadlock detected'))
        .mockResolvedValueOnce({ acknowledged: true });
      findOneReturns(null);

      const outcome = await service.create(dto);

      expect(outcome.created).toBe(true);
      expect(insertOne).toHaveBeenCalledTimes(2);
    });

    it('answers from the stored session after a write conflict when the racer stored it', async () => {
      insertOne.mockRejectedValue(serverError(112, 'WriteConflict'));
      findOneReturns(stored);

      const outcome = await service.create(dto);

      expect(outcome.created).toBe(false);
      expect(insertOne).toHaveBeenCalledTimes(1);
    });

    it('gives up after a bounded number of transient failures, with the transient error', async () => {
      insertOne.mockRejectedValue(serverError(16908292, 'deadlock detected'));
      findOneReturns(null);

      const error: unknown = await service.create(dto).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(mongo.MongoServerError);
      expect(error).not.toBeInstanceOf(ApiError);
      expect(insertOne.mock.calls.length).toBeGreaterThan(1);
      expect(insertOne.mock.calls.length).toBeLessThanOrEqual(6);
    });

    it('lets other errors through untouched, without retrying', async () => {
      insertOne.mockRejectedValue(new Error('boom'));

      await expect(service.create(dto)).rejects.toThrow('boom');
      expect(insertOne).toHaveBeenCalledTimes(1);
      expect(model.findOne).not.toHaveBeenCalled();
    });
  });
});
