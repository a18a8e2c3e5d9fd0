import type { StoredEvent } from '../schemas/session.schema';
import type { StoredSessionView } from '../session.mapper';
import { appendLimits, EVENTS_BYTE_BUDGET } from './limits';
import type { EventLookup } from './reads';
import {
  explainRejectedAppend,
  explainRejectedClose,
  explainRejectedCreate,
  sameEvent,
  sameSession,
} from './verdicts';

const session: StoredSessionView = {
  sessionId: 's1',
  status: 'active',
  language: 'en-US',
  metadata: { channel: 'phone', tags: ['a'] },
  startedAt: new Date('2026-11-25T10:00:00.000Z'),
  endedAt: null,
  eventCount: 2,
  createdAt: new Date('2026-11-25T10:00:00.100Z'),
  updatedAt: new Date('2026-11-25T10:00:00.100Z'),
};
const request = {
  eventId: 'e1',
  type: 'user_speech' as const,
  payload: { text: 'hi', n: [1, 2] },
  timestamp: '2026-11-25T10:00:01.000Z',
};
const stored: StoredEvent = {
  ...request,
  timestamp: new Date(request.timestamp),
  receivedAt: new Date('2026-11-25T10:00:01.200Z'),
};
const limits = appendLimits(10);
const lookup = (overrides: Partial<EventLookup> = {}): EventLookup => ({
  status: 'active',
  eventCount: 2,
  eventBytes: 200,
  index: -1,
  event: null,
  ...overrides,
});

describe('sameSession()', () => {
  it('holds when every supplied field equals the stored one; omitted fields match anything', () => {
    expect(sameSession(session, { sessionId: 's1', language: 'en-US' })).toBe(
      true,
    );
    expect(
      sameSession(session, {
        sessionId: 's1',
        language: 'en-US',
        metadata: { tags: ['a'], channel: 'phone' },
        startedAt: '2026-11-25T11:00:00.000+01:00',
      }),
    ).toBe(true);
  });

  it.each([
    ['language', { language: 'de' }],
    ['metadata', { metadata: { channel: 'web' } }],
    ['startedAt', { startedAt: '2026-11-25T10:00:00.001Z' }],
  ])('fails when %s differs', (_, change) => {
    expect(
      sameSession(session, { sessionId: 's1', language: 'en-US', ...change }),
    ).toBe(false);
  });
});

describe('sameEvent()', () => {
  it('compares the instant, not the text, of the timestamp, and payloads deeply', () => {
    expect(
      sameEvent(stored, {
        ...request,
        payload: { n: [1, 2], text: 'hi' },
        timestamp: '2026-11-25T05:00:01-05:00',
      }),
    ).toBe(true);
  });

  it.each([
    ['type', { type: 'system' as const }],
    ['payload', { payload: { text: 'hi', n: [2, 1] } }],
    ['timestamp', { timestamp: '2026-11-25T10:00:01.001Z' }],
  ])('fails when %s differs', (_, change) => {
    expect(sameEvent(stored, { ...request, ...change })).toBe(false);
  });
});

describe('explainRejectedCreate()', () => {
  const body = { sessionId: 's1', language: 'en-US' };

  it('replays the stored session when the request matches it', () => {
    expect(explainRejectedCreate(session, body)).toEqual({
      kind: 'replayed',
      session,
    });
  });

  it('is a conflict when the stored session differs', () => {
    expect(explainRejectedCreate(session, { ...body, language: 'fr' })).toEqual(
      { kind: 'conflict' },
    );
  });

  it('is a lost race when no session is stored after all', () => {
    expect(explainRejectedCreate(null, body)).toEqual({ kind: 'lost-race' });
  });
});

describe('explainRejectedAppend()', () => {
  const explain = (found: EventLookup | null, size = 100) =>
    explainRejectedAppend(found, request, size, limits);

  it('is not-found when there is no session', () => {
    expect(explain(null)).toEqual({ kind: 'not-found' });
  });

  it('replays an identical stored event with its seq, even when the session is closed or full', () => {
    const found = lookup({
      index: 4,
      event: stored,
      status: 'completed',
      eventCount: 10,
    });
    expect(explain(found)).toEqual({ kind: 'replayed', event: stored, seq: 5 });
  });

  it('is a conflict when the eventId is stored with other content, even when closed', () => {
    const found = lookup({
      index: 0,
      event: { ...stored, type: 'bot_speech' },
      status: 'failed',
    });
    expect(explain(found)).toEqual({ kind: 'conflict' });
  });

  it.each(['completed', 'failed'] as const)(
    'is closed when the session is %s',
    (status) => {
      expect(explain(lookup({ status, eventCount: 10 }))).toEqual({
        kind: 'closed',
        status,
      });
    },
  );

  it('is full at the event cap', () => {
    expect(explain(lookup({ eventCount: 10 }))).toEqual({
      kind: 'full',
      limit: 'events',
      eventCount: 10,
    });
  });

  it('is full when the event would take the events past the byte budget', () => {
    const eventBytes = EVENTS_BYTE_BUDGET - 99;
    expect(explain(lookup({ eventBytes }))).toEqual({
      kind: 'full',
      limit: 'bytes',
      size: 100,
    });
    expect(explain(lookup({ eventBytes: EVENTS_BYTE_BUDGET - 100 }))).toEqual({
      kind: 'lost-race',
    });
  });

  it('is a lost race when the session is open, has room and lacks the eventId', () => {
    expect(explain(lookup({ status: 'initiated', eventCount: 9 }))).toEqual({
      kind: 'lost-race',
    });
  });
});

describe('explainRejectedClose()', () => {
  const completed = { ...session, status: 'completed' as const };

  it('is not-found when there is no session', () => {
    expect(explainRejectedClose(null, { status: 'completed' })).toEqual({
      kind: 'not-found',
    });
  });

  it('refuses an endedAt before startedAt whatever the status', () => {
    const endedAt = new Date('2026-11-25T09:59:59.999Z');
    for (const found of [session, completed]) {
      expect(
        explainRejectedClose(found, { status: 'completed', endedAt }),
      ).toEqual({
        kind: 'ended-before-started',
        endedAt,
        startedAt: session.startedAt,
      });
    }
  });

  it('is a repeat when the session already has the asked status', () => {
    expect(explainRejectedClose(completed, { status: 'completed' })).toEqual({
      kind: 'repeated',
      session: completed,
    });
    const failed = { ...session, status: 'failed' as const };
    expect(
      explainRejectedClose(failed, { status: 'failed', reason: 'other' }),
    ).toEqual({ kind: 'repeated', session: failed });
  });

  it('is an invalid transition from the other terminal status', () => {
    expect(explainRejectedClose(completed, { status: 'failed' })).toEqual({
      kind: 'invalid-transition',
      status: 'completed',
    });
  });

  it('is a lost race when the session is still open', () => {
    expect(explainRejectedClose(session, { status: 'failed' })).toEqual({
      kind: 'lost-race',
    });
  });
});
