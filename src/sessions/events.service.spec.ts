import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { Metrics } from '../metrics/metrics';
import { EventsService } from './events.service';
import type { StoredEvent } from './schemas/session.schema';
import { SessionsRepository } from './sessions.repository';

/**
 * Single appends: the guarded update first, then one lookup and the rules'
 * verdict, what is retried, and what the metrics count. Only the repository
 * and the metrics are mocked (batches: events.service.batch.spec.ts).
 */
describe('EventsService', () => {
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
  const lookup = (overrides: object = {}) => ({
    status: 'active' as const,
    eventCount: 3,
    eventBytes: 300,
    index: -1,
    event: null,
    ...overrides,
  });
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

  describe('appendEvent()', () => {
    it('stores the event in one guarded update and answers with its seq', async () => {
      repo.appendIfAdmitted.mockResolvedValue(4);

      const outcome = await service.appendEvent('s1', event);

      expect(outcome).toMatchObject({
        created: true,
        resource: { sessionId: 's1', eventId: 'e1' },
        value: { eventId: 'e1', seq: 4, timestamp: event.timestamp },
      });
      expect(repo.lookupEvent).not.toHaveBeenCalled();
      expect(metrics.eventWrite).toHaveBeenCalledWith('created');
    });

    it('answers 413 for a payload over MAX_EVENT_PAYLOAD_BYTES without touching the database', async () => {
      const big = { ...event, payload: { text: 'x'.repeat(1100) } };

      await expect(service.appendEvent('s1', big)).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        errors: [{ field: 'payload' }],
      });
      expect(repo.appendIfAdmitted).not.toHaveBeenCalled();
    });

    it('returns the stored event, with its original seq, when the same eventId is replayed', async () => {
      repo.appendIfAdmitted.mockResolvedValue(null);
      repo.lookupEvent.mockResolvedValue(
        lookup({ index: 1, event: storedEvent, status: 'completed' }),
      );

      const outcome = await service.appendEvent('s1', event);

      expect(outcome.created).toBe(false);
      expect(outcome.value).toMatchObject({
        seq: 2,
        receivedAt: storedEvent.receivedAt.toISOString(),
      });
      expect(metrics.eventWrite).toHaveBeenCalledWith('replayed');
    });

    it.each([
      [
        'EVENT_CONFLICT',
        lookup({ index: 0, event: { ...storedEvent, type: 'system' } }),
      ],
      ['SESSION_CLOSED', lookup({ status: 'failed' })],
      ['SESSION_FULL', lookup({ eventCount: 10 })],
      ['SESSION_FULL', lookup({ eventBytes: 16 * 1024 * 1024 })],
      ['SESSION_NOT_FOUND', null],
    ])('answers %s when the lookup shows it', async (code, found) => {
      repo.appendIfAdmitted.mockResolvedValue(null);
      repo.lookupEvent.mockResolvedValue(found);

      await expect(service.appendEvent('s1', event)).rejects.toMatchObject({
        code,
      });
      expect(repo.appendIfAdmitted).toHaveBeenCalledTimes(1);
    });

    it('counts a conflicting append in the metrics', async () => {
      repo.appendIfAdmitted.mockResolvedValue(null);
      repo.lookupEvent.mockResolvedValue(
        lookup({ index: 0, event: { ...storedEvent, payload: {} } }),
      );

      await service.appendEvent('s1', event).catch(() => undefined);

      expect(metrics.eventWrite).toHaveBeenCalledWith('conflict');
    });

    it('runs the append again when the session appeared after the update missed it', async () => {
      repo.appendIfAdmitted
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(1);
      repo.lookupEvent.mockResolvedValue(lookup({ eventCount: 0 }));

      const outcome = await service.appendEvent('s1', event);

      expect(outcome).toMatchObject({ created: true, value: { seq: 1 } });
      expect(repo.appendIfAdmitted).toHaveBeenCalledTimes(2);
    });
  });
});
