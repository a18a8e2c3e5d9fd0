import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { mongo } from 'mongoose';
import { Metrics } from '../metrics/metrics';
import { EventsService } from './events.service';
import type { StoredEvent } from './schemas/session.schema';
import { EVENTS_BYTE_BUDGET, type BatchLookup } from './session-rules';
import { SessionsRepository } from './sessions.repository';

/**
 * Batch appends: the guarded update of the whole batch first, then one lookup
 * of all its eventIds and the rules' verdict, the narrowed retry of a partly
 * replayed batch, and what the metrics count. Only the repository and the
 * metrics are mocked.
 */
describe('EventsService (batches)', () => {
  const event = {
    eventId: 'e1',
    type: 'user_speech' as const,
    payload: { text: 'hi' },
    timestamp: '2026-11-25T10:00:01.000Z',
  };
  const storedEvent: StoredEvent = {
    ...event,
    timestamp: new Date(event.timestamp),
    receivedAt: new Date('2026-11-25T10:00:01.500Z'),
  };
  const repo = {
    lookupEvent: jest.fn(),
    appendIfAdmitted: jest.fn(),
    lookupEvents: jest.fn(),
    appendManyIfAdmitted: jest.fn(),
  };
  const metrics = { sessionWrite: jest.fn(), eventWrite: jest.fn() };
  let service: EventsService;

  beforeEach(async () => {
    jest.resetAllMocks();
    const config: Record<string, number> = {
      MAX_EVENTS_PER_SESSION: 10,
      MAX_EVENT_PAYLOAD_BYTES: 1024,
      MAX_BATCH_EVENTS: 5,
    };
    const moduleRef = await Test.createTestingModule({
      providers: [
        EventsService,
        { provide: SessionsRepository, useValue: repo },
        { provide: Metrics, useValue: metrics },
        {
          provide: ConfigService,
          useValue: { getOrThrow: (key: string) => config[key] },
        },
      ],
    }).compile();
    service = moduleRef.get(EventsService);
  });

  describe('appendEvents()', () => {
    const body = (i: number) => ({ ...event, eventId: `e${i}` });
    const stored = (i: number): StoredEvent => ({
      ...storedEvent,
      eventId: `e${i}`,
    });
    const batchLookup = (
      found: (StoredEvent | null)[],
      overrides: Partial<BatchLookup> = {},
    ): BatchLookup => ({
      status: 'active',
      eventCount: 3,
      eventBytes: 300,
      indexes: found.map((e, i) => (e ? i : -1)),
      found,
      ...overrides,
    });

    it('stores every event in one guarded update, with consecutive seqs after the last stored', async () => {
      repo.appendManyIfAdmitted.mockResolvedValue(6);

      const outcome = await service.appendEvents('s1', {
        events: [body(1), body(2), body(3)],
      });

      expect(outcome.created).toBe(true);
      expect(outcome.resource).toBeUndefined();
      expect(
        outcome.value.events.map((e) => [e.eventId, e.seq, e.outcome]),
      ).toEqual([
        ['e1', 4, 'created'],
        ['e2', 5, 'created'],
        ['e3', 6, 'created'],
      ]);
      const [, events, bytes] = repo.appendManyIfAdmitted.mock.calls[0] as [
        string,
        StoredEvent[],
        number,
      ];
      expect(events.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3']);
      expect(bytes).toBeGreaterThan(0);
      expect(repo.lookupEvents).not.toHaveBeenCalled();
      expect(metrics.eventWrite).toHaveBeenCalledWith('created', 3);
    });

    it('answers 200 with every stored event when the whole batch is a replay', async () => {
      repo.appendManyIfAdmitted.mockResolvedValue(null);
      repo.lookupEvents.mockResolvedValue(
        batchLookup([stored(1), stored(2)], { status: 'completed' }),
      );

      const outcome = await service.appendEvents('s1', {
        events: [body(1), body(2)],
      });

      expect(outcome.created).toBe(false);
      expect(outcome.value.events.map((e) => [e.seq, e.outcome])).toEqual([
        [1, 'replayed'],
        [2, 'replayed'],
      ]);
      expect(metrics.eventWrite).toHaveBeenCalledWith('replayed', 2);
    });

    it('stores only the new events of a partly replayed batch, in request order', async () => {
      repo.appendManyIfAdmitted
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(5);
      repo.lookupEvents.mockResolvedValue(
        batchLookup([null, stored(2), null], { indexes: [-1, 0, -1] }),
      );

      const outcome = await service.appendEvents('s1', {
        events: [body(1), body(2), body(3)],
      });

      const [, retried] = repo.appendManyIfAdmitted.mock.calls[1] as [
        string,
        StoredEvent[],
      ];
      expect(retried.map((e) => e.eventId)).toEqual(['e1', 'e3']);
      expect(outcome.created).toBe(true);
      expect(
        outcome.value.events.map((e) => [e.eventId, e.seq, e.outcome]),
      ).toEqual([
        ['e1', 4, 'created'],
        ['e2', 1, 'replayed'],
        ['e3', 5, 'created'],
      ]);
      expect(metrics.eventWrite).toHaveBeenCalledWith('created', 2);
      expect(metrics.eventWrite).toHaveBeenCalledWith('replayed', 1);
    });

    it('narrows again when a racer stores more of the batch in between', async () => {
      repo.appendManyIfAdmitted
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(3);
      repo.lookupEvents
        .mockResolvedValueOnce(batchLookup([stored(1), null, null]))
        .mockResolvedValueOnce(batchLookup([stored(1), stored(2), null]));

      const outcome = await service.appendEvents('s1', {
        events: [body(1), body(2), body(3)],
      });

      expect(repo.appendManyIfAdmitted).toHaveBeenCalledTimes(3);
      expect(outcome.value.events.map((e) => e.outcome)).toEqual([
        'replayed',
        'replayed',
        'created',
      ]);
    });

    it('names every conflicting event and stores nothing', async () => {
      repo.appendManyIfAdmitted.mockResolvedValue(null);
      repo.lookupEvents.mockResolvedValue(
        batchLookup([null, { ...stored(2), type: 'system' }, null]),
      );

      await expect(
        service.appendEvents('s1', { events: [body(1), body(2), body(3)] }),
      ).rejects.toMatchObject({
        code: 'EVENT_CONFLICT',
        errors: [{ field: 'events[1].eventId' }],
      });
      expect(repo.appendManyIfAdmitted).toHaveBeenCalledTimes(1);
      expect(metrics.eventWrite).toHaveBeenCalledWith('conflict', 1);
    });

    it.each([
      ['SESSION_NOT_FOUND', null],
      ['SESSION_CLOSED', batchLookup([null, null], { status: 'failed' })],
      ['SESSION_FULL', batchLookup([null, null], { eventCount: 9 })],
      [
        'SESSION_FULL',
        batchLookup([null, null], { eventBytes: EVENTS_BYTE_BUDGET }),
      ],
    ])('answers %s when the lookup shows it', async (code, found) => {
      repo.appendManyIfAdmitted.mockResolvedValue(null);
      repo.lookupEvents.mockResolvedValue(found);

      await expect(
        service.appendEvents('s1', { events: [body(1), body(2)] }),
      ).rejects.toMatchObject({ code });
    });

    it('says how many of the new events fit when the session is nearly full', async () => {
      repo.appendManyIfAdmitted.mockResolvedValue(null);
      repo.lookupEvents.mockResolvedValue(
        batchLookup([null, null, null], { eventCount: 9 }),
      );

      await expect(
        service.appendEvents('s1', { events: [body(1), body(2), body(3)] }),
      ).rejects.toMatchObject({
        code: 'SESSION_FULL',
        detail: expect.stringMatching(
          /room for 1 of the batch's 3 new events/,
        ) as unknown,
      });
    });

    it('runs the whole batch again when the session appeared after the update missed it', async () => {
      repo.appendManyIfAdmitted
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(2);
      repo.lookupEvents.mockResolvedValue(
        batchLookup([null, null], { eventCount: 0 }),
      );

      const outcome = await service.appendEvents('s1', {
        events: [body(1), body(2)],
      });

      expect(outcome.value.events.map((e) => e.seq)).toEqual([1, 2]);
    });

    it('retries after an engine-level write conflict', async () => {
      repo.appendManyIfAdmitted
        .mockRejectedValueOnce(
          new mongo.MongoServerError({ code: 112, errmsg: 'WriteConflict' }),
        )
        .mockResolvedValueOnce(1);

      const outcome = await service.appendEvents('s1', { events: [body(1)] });

      expect(outcome.created).toBe(true);
    });

    it.each([
      [
        'more than MAX_BATCH_EVENTS events',
        [1, 2, 3, 4, 5, 6].map(body),
        { code: 'VALIDATION_FAILED', errors: [{ field: 'events' }] },
      ],
      [
        'an eventId twice',
        [body(1), body(2), body(1)],
        {
          code: 'VALIDATION_FAILED',
          errors: [
            { field: 'events[0].eventId' },
            { field: 'events[2].eventId' },
          ],
        },
      ],
      [
        'a payload over MAX_EVENT_PAYLOAD_BYTES',
        [body(1), { ...body(2), payload: { text: 'x'.repeat(1100) } }],
        { code: 'PAYLOAD_TOO_LARGE', errors: [{ field: 'events[1].payload' }] },
      ],
    ])(
      'refuses %s without touching the database',
      async (_, events, problem) => {
        await expect(
          service.appendEvents('s1', { events }),
        ).rejects.toMatchObject(problem);
        expect(repo.appendManyIfAdmitted).not.toHaveBeenCalled();
        expect(repo.lookupEvents).not.toHaveBeenCalled();
      },
    );
  });
});
