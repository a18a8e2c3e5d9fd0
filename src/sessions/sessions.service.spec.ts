import { Test } from '@nestjs/testing';
import { mongo } from 'mongoose';
import { ApiError } from '../common/api-error';
import { Metrics } from '../metrics/metrics';
import type { StoredSessionView } from './session.mapper';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Creates, closes and reads: which repository call follows which answer,
 * what each verdict of the session rules is answered with, and what is
 * retried. Only the
 * repository and the metrics are mocked; the rules themselves run.
 */
describe('SessionsService', () => {
  const stored: StoredSessionView = {
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
  const lookup = { status: 'active', eventCount: 3, eventBytes: 300 };
  const serverError = (code: number, errmsg: string) =>
    new mongo.MongoServerError({ code, errmsg, ok: 0 });

  const repo = {
    insert: jest.fn(),
    findView: jest.fn(),
    findWithEventPage: jest.fn(),
    findEventPage: jest.fn(),
    lookupEvent: jest.fn(),
    closeIfOpen: jest.fn(),
    list: jest.fn(),
  };
  const metrics = { sessionWrite: jest.fn(), eventWrite: jest.fn() };
  let service: SessionsService;

  beforeEach(async () => {
    jest.resetAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [
        SessionsService,
        { provide: SessionsRepository, useValue: repo },
        { provide: Metrics, useValue: metrics },
      ],
    }).compile();
    service = moduleRef.get(SessionsService);
  });

  describe('create()', () => {
    it('inserts a new initiated session and names it for Location', async () => {
      repo.insert.mockImplementation((doc: StoredSessionView) => doc);

      const outcome = await service.create(dto);

      expect(outcome).toMatchObject({
        created: true,
        resource: { sessionId: 's1' },
        value: { sessionId: 's1', status: 'initiated', eventCount: 0 },
      });
      expect(metrics.sessionWrite).toHaveBeenCalledWith('created');
    });

    it('replays the stored session when the insert loses the race with a duplicate key', async () => {
      repo.insert.mockRejectedValue(serverError(11000, 'E11000 duplicate key'));
      repo.findView.mockResolvedValue(stored);

      const outcome = await service.create(dto);

      expect(outcome.created).toBe(false);
      expect(outcome.value).toMatchObject({
        sessionId: 's1',
        metadata: { a: 1 },
      });
      expect(repo.insert).toHaveBeenCalledTimes(1);
      expect(metrics.sessionWrite).toHaveBeenCalledWith('replayed');
    });

    it('answers SESSION_CONFLICT when the winner stored different values', async () => {
      repo.insert.mockRejectedValue(serverError(11000, 'E11000 duplicate key'));
      repo.findView.mockResolvedValue({ ...stored, language: 'de' });

      await expect(service.create(dto)).rejects.toMatchObject({
        code: 'SESSION_CONFLICT',
      });
      expect(metrics.sessionWrite).toHaveBeenCalledWith('conflict');
    });

    it('retries the insert after an engine deadlock when no session was stored', async () => {
      repo.insert
        .mockRejectedValueOnce(serverError(16908292, 'deadlock detected'))
        .mockImplementationOnce((doc: StoredSessionView) => doc);
      repo.findView.mockResolvedValue(null);

      const outcome = await service.create(dto);

      expect(outcome.created).toBe(true);
      expect(repo.insert).toHaveBeenCalledTimes(2);
    });

    it('answers from the stored session after a write conflict when the racer stored it', async () => {
      repo.insert.mockRejectedValue(serverError(112, 'WriteConflict'));
      repo.findView.mockResolvedValue(stored);

      const outcome = await service.create(dto);

      expect(outcome.created).toBe(false);
      expect(repo.insert).toHaveBeenCalledTimes(1);
    });

    it('gives up after a bounded number of transient failures, with the transient error', async () => {
      repo.insert.mockRejectedValue(serverError(16908292, 'deadlock detected'));
      repo.findView.mockResolvedValue(null);

      const error: unknown = await service.create(dto).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(mongo.MongoServerError);
      expect(error).not.toBeInstanceOf(ApiError);
      expect(repo.insert.mock.calls.length).toBeGreaterThan(1);
      expect(repo.insert.mock.calls.length).toBeLessThanOrEqual(6);
    });

    it('lets other errors through untouched, without retrying', async () => {
      repo.insert.mockRejectedValue(new Error('boom'));

      await expect(service.create(dto)).rejects.toThrow('boom');
      expect(repo.insert).toHaveBeenCalledTimes(1);
      expect(repo.findView).not.toHaveBeenCalled();
    });
  });

  describe('complete() and fail()', () => {
    const closed = {
      ...stored,
      status: 'completed' as const,
      endedAt: new Date(),
    };

    it('closes an open session in one guarded update', async () => {
      repo.closeIfOpen.mockResolvedValue(closed);

      const view = await service.complete('s1', {});

      expect(view.status).toBe('completed');
      expect(repo.findView).not.toHaveBeenCalled();
    });

    it('answers a repeat with the stored session', async () => {
      repo.closeIfOpen.mockResolvedValue(null);
      repo.findView.mockResolvedValue(closed);

      const view = await service.complete('s1', {});

      expect(view.endedAt).toBe(closed.endedAt.toISOString());
    });

    it.each([
      ['SESSION_NOT_FOUND', null, {}],
      ['INVALID_TRANSITION', { ...stored, status: 'failed' }, {}],
      ['ENDED_BEFORE_STARTED', closed, { endedAt: '2026-11-25T09:00:00.000Z' }],
    ])(
      'answers %s when the stored session shows it',
      async (code, found, body) => {
        repo.closeIfOpen.mockResolvedValue(null);
        repo.findView.mockResolvedValue(found);

        await expect(service.complete('s1', body)).rejects.toMatchObject({
          code,
        });
      },
    );

    it('passes the reason of a failure to the update', async () => {
      repo.closeIfOpen.mockResolvedValue({ ...closed, status: 'failed' });

      await service.fail('s1', { reason: 'hung up' });

      expect(repo.closeIfOpen).toHaveBeenCalledWith(
        's1',
        { status: 'failed', reason: 'hung up' },
        expect.objectContaining({ status: 'failed', failureReason: 'hung up' }),
      );
    });

    it('runs the close again when the session appeared after the update missed it', async () => {
      repo.closeIfOpen
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(closed);
      repo.findView.mockResolvedValue(stored);

      await expect(service.complete('s1', {})).resolves.toMatchObject({
        status: 'completed',
      });
      expect(repo.closeIfOpen).toHaveBeenCalledTimes(2);
    });
  });

  describe('reads', () => {
    it('getEvent() answers EVENT_NOT_FOUND for an eventId the session does not hold', async () => {
      repo.lookupEvent.mockResolvedValue({ ...lookup, index: -1, event: null });

      await expect(service.getEvent('s1', 'nope')).rejects.toMatchObject({
        code: 'EVENT_NOT_FOUND',
      });
    });

    it('list() refuses a cursor it did not issue, before reading', async () => {
      await expect(
        service.list({ limit: 5, cursor: '1~' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(repo.list).not.toHaveBeenCalled();
    });

    it('list() asks for one more session than the page, to know whether another follows', async () => {
      repo.list.mockResolvedValue([stored, { ...stored, sessionId: 's2' }]);

      const page = await service.list({ limit: 1 });

      expect(repo.list).toHaveBeenCalledWith(undefined, undefined, 2);
      expect(page.sessions).toHaveLength(1);
      expect(page.nextCursor).toBe(`${stored.startedAt.getTime()}~s1`);
    });
  });
});
