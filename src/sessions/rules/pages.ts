import type { EventPage } from '../dto/views.dto';
import type { StoredEvent } from '../schemas/session.schema';
import { toEventViews } from '../session.mapper';

export const EVENT_ORDERS = ['asc', 'desc'] as const;
export type EventOrder = (typeof EVENT_ORDERS)[number];

/** Which page of a session's events a read asks for (validated by EventPageQuery). */
export interface EventPageRequest {
  order: EventOrder;
  /** asc: events with seq > after (default 0). */
  after?: number;
  /** desc: events with seq < before (default: all). */
  before?: number;
  limit: number;
}

/** The part of a page's read that its events' seqs follow from. */
export type SlicedEvents = { eventCount: number; events: StoredEvent[] };

/**
 * Newest first: the array positions [start, end) of the `limit` events with
 * the highest seq below `before`. Positions are seq - 1, because events are
 * only ever appended.
 */
export function newestWindow(
  eventCount: number,
  before: number | undefined,
  limit: number,
): { start: number; end: number } {
  const end =
    before === undefined ? eventCount : Math.min(before - 1, eventCount);
  return { start: Math.max(0, end - limit), end };
}

/**
 * newestWindow() as an aggregation expression, so that the database slices
 * the array in the same read that reports eventCount: only the page leaves
 * the database, however long the session is.
 */
export function newestEventsExpression(
  before: number | undefined,
  limit: number,
) {
  const end =
    before === undefined
      ? '$eventCount'
      : { $min: [before - 1, '$eventCount'] };
  const start = { $max: [0, { $subtract: [end, limit] }] };
  // $slice needs a positive count; when end > 0 the count min(end, limit) is.
  return {
    $cond: [
      { $gt: [end, 0] },
      { $slice: ['$events', start, { $subtract: [end, start] }] },
      [],
    ],
  };
}

/** The page as the API answers it; `stored` is the read the request made. */
export function toEventPage(
  stored: SlicedEvents,
  page: EventPageRequest,
): EventPage {
  if (page.order === 'desc') {
    const { start } = newestWindow(stored.eventCount, page.before, page.limit);
    const events = toEventViews(stored.events, start).reverse();
    // The oldest seq returned is the next page's `before`, while older ones exist.
    return { events, nextBefore: start > 0 ? start + 1 : null };
  }
  const after = page.after ?? 0;
  const events = toEventViews(stored.events, after);
  const reached = after + events.length;
  return {
    events,
    nextAfter:
      events.length > 0 && reached < stored.eventCount ? reached : null,
  };
}

/**
 * One read of a session's newest events: `fields` (a projection of the
 * session's own fields) and the sliced `events`.
 */
export function newestEventPagePipeline(
  sessionId: string,
  before: number | undefined,
  limit: number,
  fields: Record<string, 0 | 1>,
) {
  return [
    { $match: { sessionId } },
    { $limit: 1 },
    {
      $project: {
        ...fields,
        events: newestEventsExpression(before, limit),
      },
    },
  ];
}
