import type { QueryFilter } from 'mongoose';
import type { SessionCursor } from '../cursor';
import type {
  Session,
  SessionStatus,
  StoredEvent,
} from '../schemas/session.schema';
import { SESSION_VIEW_PROJECTION } from '../session.mapper';

/*
 * The projections and pipelines of every read, as plain values: each reads
 * one document (or one index-ordered page) and only what its caller needs.
 */

/** What one read of a session says about one eventId. */
export interface EventLookup {
  status: SessionStatus;
  eventCount: number;
  eventBytes: number;
  /** The event's position in `events`, -1 when it is not stored. */
  index: number;
  event: StoredEvent | null;
}

/**
 * The fields of an event page's read besides its events: the count its seqs
 * follow from, and the state its entity tag is derived from.
 */
export const EVENT_PAGE_FIELDS = {
  _id: 0,
  status: 1,
  eventCount: 1,
  updatedAt: 1,
} as const;

/** An event page as read: its events and the state its entity tag names. */
export type StoredEventPage = Pick<
  Session,
  'status' | 'eventCount' | 'updatedAt'
> & { events: StoredEvent[] };

/** The session's view fields and the events after `after`, sliced by the database (also each poll of a live tail). */
export function sessionWithEventPageProjection(after: number, limit: number) {
  return {
    ...SESSION_VIEW_PROJECTION,
    events: { $slice: [after, limit] as [number, number] },
  } as const;
}

export function eventPageProjection(after: number, limit: number) {
  return {
    ...EVENT_PAGE_FIELDS,
    events: { $slice: [after, limit] as [number, number] },
  } as const;
}

/** One read: the session's state, and the event with this id and its position. */
export function eventLookupPipeline(sessionId: string, eventId: string) {
  return [
    { $match: { sessionId } },
    {
      $project: {
        _id: 0,
        status: 1,
        eventCount: 1,
        eventBytes: 1,
        events: 1,
        index: { $indexOfArray: ['$events.eventId', { $literal: eventId }] },
      },
    },
    {
      $project: {
        status: 1,
        eventCount: 1,
        eventBytes: 1,
        index: 1,
        event: {
          $cond: [
            { $gte: ['$index', 0] },
            { $arrayElemAt: ['$events', '$index'] },
            null,
          ],
        },
      },
    },
  ];
}

/** Newest startedAt first, ties by sessionId: the order the list pages in. */
export const SESSION_LIST_ORDER = { startedAt: -1, sessionId: 1 } as const;

/** Sessions with this status (any, when undefined) strictly after the cursor. */
export function sessionListFilter(
  status: SessionStatus | undefined,
  cursor: SessionCursor | undefined,
): QueryFilter<Session> {
  const filter: QueryFilter<Session> = status ? { status } : {};
  if (cursor) {
    filter.$or = [
      { startedAt: { $lt: cursor.startedAt } },
      { startedAt: cursor.startedAt, sessionId: { $gt: cursor.sessionId } },
    ];
  }
  return filter;
}
