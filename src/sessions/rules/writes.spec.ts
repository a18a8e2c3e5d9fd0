import { EVENTS_BYTE_BUDGET, appendLimits, eventSize } from './limits';
import {
  eventLookupPipeline,
  eventPageProjection,
  sessionListFilter,
} from './reads';
import {
  appendFilter,
  appendUpdate,
  closedFields,
  closeFilter,
  closeUpdate,
  newSession,
  storedEvent,
} from './writes';

const now = new Date('2026-11-25T10:00:00.000Z');
const event = storedEvent(
  {
    eventId: 'e1',
    type: 'system',
    payload: { a: 1 },
    timestamp: '2026-11-25T11:00:00+01:00',
  },
  now,
);

describe('newSession()', () => {
  it('is initiated, empty, and starts now unless the caller said when', () => {
    expect(newSession({ sessionId: 's1', language: 'en' }, now)).toEqual({
      sessionId: 's1',
      status: 'initiated',
      language: 'en',
      metadata: {},
      startedAt: now,
      endedAt: null,
      eventCount: 0,
      eventBytes: 0,
      events: [],
      createdAt: now,
      updatedAt: now,
    });
    expect(
      newSession(
        { sessionId: 's1', language: 'en', startedAt: '2026-01-01T00:00:00Z' },
        now,
      ).startedAt,
    ).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
});

describe('storedEvent() and eventSize()', () => {
  it('stores the timestamp as an instant', () => {
    expect(event.timestamp).toEqual(now);
  });

  it('counts the BSON size of the event and its array entry', () => {
    const bigger = { ...event, payload: { a: 1, text: 'x'.repeat(100) } };
    expect(eventSize(bigger) - eventSize(event)).toBeGreaterThan(100);
    expect(eventSize(event)).toBeGreaterThan(8);
  });
});

describe('appendFilter() and appendUpdate()', () => {
  it('admits the push only while open, under the cap, within the byte budget, eventId new', () => {
    expect(appendFilter('s1', 'e1', 120, appendLimits(10))).toEqual({
      sessionId: 's1',
      $expr: { $in: ['$status', ['initiated', 'active']] },
      'events.eventId': { $ne: 'e1' },
      eventCount: { $lt: 10 },
      eventBytes: { $lte: EVENTS_BYTE_BUDGET - 120 },
    });
  });

  it('pushes the event, counts it and its bytes, and makes the session active', () => {
    expect(appendUpdate(event, 120)).toEqual({
      $push: { events: event },
      $inc: { eventCount: 1, eventBytes: 120 },
      $set: { status: 'active', updatedAt: now },
    });
  });
});

describe('closedFields(), closeFilter() and closeUpdate()', () => {
  const endedAt = new Date('2026-11-25T10:05:00.000Z');

  it('ends now unless the caller chose endedAt; keeps a failure reason', () => {
    expect(closedFields({ status: 'completed' }, now)).toEqual({
      status: 'completed',
      endedAt: now,
    });
    expect(closedFields({ status: 'completed', endedAt }, now).endedAt).toBe(
      endedAt,
    );
    expect(closedFields({ status: 'failed', reason: 'x' }, now)).toEqual({
      status: 'failed',
      endedAt: now,
      failureReason: 'x',
    });
    expect(closedFields({ status: 'failed' }, now)).not.toHaveProperty(
      'failureReason',
    );
  });

  it('closes only open sessions, and with a chosen endedAt only those started by then', () => {
    expect(closeFilter('s1', { status: 'failed' })).toEqual({
      sessionId: 's1',
      $expr: { $in: ['$status', ['initiated', 'active']] },
    });
    expect(closeFilter('s1', { status: 'completed', endedAt })).toMatchObject({
      startedAt: { $lte: endedAt },
    });
    expect(closeUpdate({ status: 'failed', endedAt })).toEqual({
      $set: { status: 'failed', endedAt },
    });
  });
});

describe('reads', () => {
  it('slices a page of events after `after`', () => {
    expect(eventPageProjection(5, 10)).toEqual({
      _id: 0,
      status: 1,
      eventCount: 1,
      updatedAt: 1,
      events: { $slice: [5, 10] },
    });
  });

  it('looks one eventId up as a literal, so an id cannot be read as a field path', () => {
    const pipeline = JSON.stringify(eventLookupPipeline('s1', '$x'));
    expect(pipeline).toContain('{"$literal":"$x"}');
    expect(eventLookupPipeline('s1', 'e')[0]).toEqual({
      $match: { sessionId: 's1' },
    });
  });

  it('lists strictly after the cursor, optionally by status', () => {
    expect(sessionListFilter(undefined, undefined)).toEqual({});
    expect(
      sessionListFilter('active', { startedAt: now, sessionId: 's1' }),
    ).toEqual({
      status: 'active',
      $or: [
        { startedAt: { $lt: now } },
        { startedAt: now, sessionId: { $gt: 's1' } },
      ],
    });
  });
});
