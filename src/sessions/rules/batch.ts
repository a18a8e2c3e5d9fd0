import type { mongo } from 'mongoose';
import type {
  Session,
  SessionStatus,
  StoredEvent,
} from '../schemas/session.schema';
import { type AppendLimits, isOpen } from './limits';
import { type LostRace, type NotFound, sameEvent } from './verdicts';
import { type EventRequest, IS_OPEN } from './writes';

/*
 * A batch append: many events of one session in one guarded update. The
 * guard refuses the whole push when any of the batch's eventIds is stored,
 * the session is closed, or the batch would pass the event cap or the byte
 * budget, so a batch is stored entirely or not at all. When it does not
 * apply, one read of every eventId of the batch says why, per event.
 */

/** One read: the session's state, and each requested eventId's stored event. */
export interface BatchLookup {
  status: SessionStatus;
  eventCount: number;
  eventBytes: number;
  /** Per requested eventId, in request order: its position in `events`, or -1. */
  indexes: number[];
  found: (StoredEvent | null)[];
}

/** The guard of a batch: open, room for all of it, none of its eventIds stored yet. */
export function batchAppendFilter(
  sessionId: string,
  eventIds: string[],
  bytes: number,
  limits: AppendLimits,
): mongo.Filter<Session> {
  return {
    sessionId,
    ...IS_OPEN,
    'events.eventId': { $nin: eventIds },
    eventCount: { $lte: limits.maxEvents - eventIds.length },
    eventBytes: { $lte: limits.byteBudget - bytes },
  };
}

/** The events go last, in request order: the last one's seq is the eventCount after. */
export function batchAppendUpdate(
  events: StoredEvent[],
  bytes: number,
): mongo.UpdateFilter<Session> {
  return {
    $push: { events: { $each: events } },
    $inc: { eventCount: events.length, eventBytes: bytes },
    $set: { status: 'active', updatedAt: events[0].receivedAt },
  };
}

export function batchLookupPipeline(sessionId: string, eventIds: string[]) {
  return [
    { $match: { sessionId } },
    {
      $project: {
        _id: 0,
        status: 1,
        eventCount: 1,
        eventBytes: 1,
        events: 1,
        indexes: {
          $map: {
            input: { $literal: eventIds },
            as: 'id',
            in: { $indexOfArray: ['$events.eventId', '$$id'] },
          },
        },
      },
    },
    {
      $project: {
        status: 1,
        eventCount: 1,
        eventBytes: 1,
        indexes: 1,
        found: {
          $map: {
            input: '$indexes',
            as: 'i',
            in: {
              $cond: [
                { $gte: ['$$i', 0] },
                { $arrayElemAt: ['$events', '$$i'] },
                null,
              ],
            },
          },
        },
      },
    },
  ];
}

/** An eventId sent twice in one batch: where it first appears, and where again. */
export interface RepeatedEventId {
  eventId: string;
  first: number;
  repeat: number;
}

export function repeatedEventIds(requests: EventRequest[]): RepeatedEventId[] {
  const first = new Map<string, number>();
  const repeats: RepeatedEventId[] = [];
  requests.forEach(({ eventId }, i) => {
    const seen = first.get(eventId);
    if (seen === undefined) first.set(eventId, i);
    else repeats.push({ eventId, first: seen, repeat: i });
  });
  return repeats;
}

/** A stored event the batch asked for again, identical: answered as stored. */
export interface Replay {
  event: StoredEvent;
  seq: number;
}

export type BatchVerdict =
  | NotFound
  /** Positions of the events stored under their eventId with other content. */
  | { kind: 'conflict'; positions: number[] }
  /** Every event of the batch is stored identically. */
  | { kind: 'replayed'; replays: Replay[] }
  | { kind: 'closed'; status: SessionStatus }
  /** `fit` of the batch's `fresh` new events would fit, in request order. */
  | { kind: 'full'; fresh: number; fit: number }
  /**
   * Some events are stored identically (by an earlier request or a racer),
   * the rest can go in: append the `fresh` positions, answer the others with
   * `replays` (indexed by position).
   */
  | { kind: 'narrowed'; fresh: number[]; replays: (Replay | undefined)[] }
  | LostRace;

/**
 * A batch whose guard matched nothing, from one lookup of all its eventIds.
 * `attempted` are the positions the refused update carried, `sizes` every
 * event's size by position. Stored eventIds are answered first (replay or
 * conflict), as for a single append; only the new events meet the session's
 * status and limits.
 */
export function explainRejectedBatch(
  found: BatchLookup | null,
  requests: EventRequest[],
  attempted: number[],
  sizes: number[],
  limits: AppendLimits,
): BatchVerdict {
  if (!found) return { kind: 'not-found' };
  const replays: (Replay | undefined)[] = [];
  const conflicts: number[] = [];
  const fresh: number[] = [];
  requests.forEach((request, i) => {
    const event = found.found[i];
    if (!event) fresh.push(i);
    else if (!sameEvent(event, request)) conflicts.push(i);
    else replays[i] = { event, seq: found.indexes[i] + 1 };
  });
  if (conflicts.length > 0) return { kind: 'conflict', positions: conflicts };
  if (fresh.length === 0) {
    return { kind: 'replayed', replays: replays as Replay[] };
  }
  if (!isOpen(found.status)) return { kind: 'closed', status: found.status };
  const fit = eventsThatFit(found, fresh, sizes, limits);
  if (fit < fresh.length) return { kind: 'full', fresh: fresh.length, fit };
  if (fresh.length < attempted.length) {
    return { kind: 'narrowed', fresh, replays };
  }
  // Nothing the guard checks explains it: the session did not exist when the
  // update ran and was created since.
  return { kind: 'lost-race' };
}

/** How many of the new events, in request order, the session has room for. */
function eventsThatFit(
  found: BatchLookup,
  fresh: number[],
  sizes: number[],
  limits: AppendLimits,
): number {
  const byCount = Math.max(0, limits.maxEvents - found.eventCount);
  let bytes = found.eventBytes;
  let fit = 0;
  while (fit < fresh.length && fit < byCount) {
    bytes += sizes[fresh[fit]];
    if (bytes > limits.byteBudget) break;
    fit++;
  }
  return fit;
}
