import type { StoredEvent } from '../schemas/session.schema';
import { newestWindow, toEventPage } from './pages';

const event = (n: number): StoredEvent => ({
  eventId: `e${n}`,
  type: 'system',
  payload: {},
  timestamp: new Date(0),
  receivedAt: new Date(0),
});
/** The events a database slice of positions [start, end) returns. */
const stored = (eventCount: number, start: number, end: number) => ({
  eventCount,
  events: Array.from({ length: end - start }, (_, i) => event(start + i + 1)),
});

describe('newestWindow()', () => {
  it.each([
    [10, undefined, 3, { start: 7, end: 10 }],
    [10, 8, 3, { start: 4, end: 7 }],
    [10, 4, 3, { start: 0, end: 3 }],
    [10, 2, 3, { start: 0, end: 1 }],
    [10, 1, 3, { start: 0, end: 0 }],
    [10, 100, 3, { start: 7, end: 10 }],
    [0, undefined, 3, { start: 0, end: 0 }],
    [2, undefined, 50, { start: 0, end: 2 }],
  ])(
    'eventCount %p, before %p, limit %p -> %p',
    (eventCount, before, limit, window) => {
      expect(newestWindow(eventCount, before, limit)).toEqual(window);
    },
  );
});

describe('toEventPage()', () => {
  it('numbers a newest-first page from its window and lists it newest first', () => {
    const page = toEventPage(stored(10, 4, 7), {
      order: 'desc',
      before: 8,
      limit: 3,
    });
    expect(page.events.map((e) => [e.seq, e.eventId])).toEqual([
      [7, 'e7'],
      [6, 'e6'],
      [5, 'e5'],
    ]);
    expect(page).toMatchObject({ nextBefore: 5 });
    expect(page).not.toHaveProperty('nextAfter');
  });

  it('gives nextBefore null on the page that holds seq 1, and on an empty page', () => {
    expect(
      toEventPage(stored(10, 0, 3), { order: 'desc', before: 4, limit: 3 })
        .nextBefore,
    ).toBeNull();
    expect(
      toEventPage(stored(10, 0, 0), { order: 'desc', before: 1, limit: 3 }),
    ).toEqual({ events: [], nextBefore: null });
  });

  it('keeps oldest-first pages as they were: seq after `after`, nextAfter while more follow', () => {
    const page = toEventPage(stored(10, 2, 5), {
      order: 'asc',
      after: 2,
      limit: 3,
    });
    expect(page.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(page).toEqual(expect.objectContaining({ nextAfter: 5 }));
    expect(
      toEventPage(stored(5, 2, 5), { order: 'asc', after: 2, limit: 3 })
        .nextAfter,
    ).toBeNull();
  });
});
