import type { StoredEvent } from '../schemas/session.schema';
import {
  type BatchLookup,
  batchAppendFilter,
  batchAppendUpdate,
  batchLookupPipeline,
  explainRejectedBatch,
  repeatedEventIds,
} from './batch';
import { appendLimits, EVENTS_BYTE_BUDGET } from './limits';
import { storedEvent } from './writes';

const request = (i: number) => ({
  eventId: `e${i}`,
  type: 'system' as const,
  payload: { i },
  timestamp: '2026-11-25T10:00:00.000Z',
});
const stored = (i: number): StoredEvent =>
  storedEvent(request(i), new Date('2026-11-25T10:00:01.000Z'));
const limits = appendLimits(10);
const lookup = (
  found: (StoredEvent | null)[],
  overrides: Partial<BatchLookup> = {},
): BatchLookup => ({
  status: 'active',
  eventCount: 4,
  eventBytes: 400,
  indexes: found.map((e, i) => (e ? i + 1 : -1)),
  found,
  ...overrides,
});

describe('batchAppendFilter() and batchAppendUpdate()', () => {
  it('admits the push only if open, none of its eventIds is stored, and all of it fits', () => {
    expect(batchAppendFilter('s1', ['a', 'b', 'c'], 900, limits)).toEqual({
      sessionId: 's1',
      $expr: { $in: ['$status', ['initiated', 'active']] },
      'events.eventId': { $nin: ['a', 'b', 'c'] },
      eventCount: { $lte: 7 },
      eventBytes: { $lte: EVENTS_BYTE_BUDGET - 900 },
    });
  });

  it('pushes the events in order, counts them and their bytes, and makes the session active', () => {
    const events = [stored(1), stored(2)];
    expect(batchAppendUpdate(events, 240)).toEqual({
      $push: { events: { $each: events } },
      $inc: { eventCount: 2, eventBytes: 240 },
      $set: { status: 'active', updatedAt: events[0].receivedAt },
    });
  });

  it('looks every eventId up as literals, in request order', () => {
    const pipeline = JSON.stringify(batchLookupPipeline('s1', ['$a', 'b']));
    expect(pipeline).toContain('{"$literal":["$a","b"]}');
  });
});

describe('repeatedEventIds()', () => {
  it('names the first position and every repeat of an eventId', () => {
    expect(
      repeatedEventIds([request(1), request(2), request(1), request(1)]),
    ).toEqual([
      { eventId: 'e1', first: 0, repeat: 2 },
      { eventId: 'e1', first: 0, repeat: 3 },
    ]);
    expect(repeatedEventIds([request(1), request(2)])).toEqual([]);
  });
});

describe('explainRejectedBatch()', () => {
  const requests = [request(1), request(2), request(3)];
  const all = [0, 1, 2];
  const sizes = [100, 100, 100];
  const explain = (
    found: BatchLookup | null,
    attempted = all,
    batchSizes = sizes,
  ) => explainRejectedBatch(found, requests, attempted, batchSizes, limits);

  it('is not-found when there is no session', () => {
    expect(explain(null)).toEqual({ kind: 'not-found' });
  });

  it('replays a batch whose every event is stored identically, even when closed and full', () => {
    const found = lookup([stored(1), stored(2), stored(3)], {
      status: 'completed',
      eventCount: 10,
    });
    expect(explain(found)).toEqual({
      kind: 'replayed',
      replays: [
        { event: stored(1), seq: 2 },
        { event: stored(2), seq: 3 },
        { event: stored(3), seq: 4 },
      ],
    });
  });

  it('names every position stored with other content, before any other answer', () => {
    const other = { ...stored(3), payload: { i: 'other' } };
    const found = lookup([{ ...stored(1), type: 'user_speech' }, null, other], {
      status: 'failed',
    });
    expect(explain(found)).toEqual({ kind: 'conflict', positions: [0, 2] });
  });

  it('is closed when new events meet a closed session', () => {
    expect(
      explain(lookup([stored(1), null, null], { status: 'completed' })),
    ).toEqual({ kind: 'closed', status: 'completed' });
  });

  it('is full, saying how many of the new events fit under the event cap', () => {
    expect(explain(lookup([null, stored(2), null], { eventCount: 9 }))).toEqual(
      { kind: 'full', fresh: 2, fit: 1 },
    );
    expect(explain(lookup([null, null, null], { eventCount: 12 }))).toEqual({
      kind: 'full',
      fresh: 3,
      fit: 0,
    });
  });

  it('is full, saying how many fit in request order, under the byte budget', () => {
    const found = lookup([null, null, null], {
      eventBytes: EVENTS_BYTE_BUDGET - 250,
    });
    expect(explain(found, all, [100, 100, 60])).toEqual({
      kind: 'full',
      fresh: 3,
      fit: 2,
    });
    expect(explain(found, all, [100, 100, 50])).toEqual({ kind: 'lost-race' });
  });

  it('narrows to the new events when others are stored identically', () => {
    expect(explain(lookup([null, stored(2), null]))).toEqual({
      kind: 'narrowed',
      fresh: [0, 2],
      replays: [undefined, { event: stored(2), seq: 3 }],
    });
  });

  it('is a lost race when nothing explains the refusal of exactly these events', () => {
    expect(explain(lookup([null, null, null], { eventCount: 0 }))).toEqual({
      kind: 'lost-race',
    });
    expect(explain(lookup([stored(1), null, null]), [1, 2])).toEqual({
      kind: 'lost-race',
    });
  });
});
