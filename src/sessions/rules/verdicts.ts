import { isDeepStrictEqual } from 'node:util';
import type { SessionStatus, StoredEvent } from '../schemas/session.schema';
import type { StoredSessionView } from '../session.mapper';
import { type AppendLimits, isOpen } from './limits';
import type { EventLookup } from './reads';
import type { Closing, EventRequest, SessionRequest } from './writes';

/*
 * Why a guarded write did not apply, told from one read. Every condition a
 * guard checks is permanent once true (a stored id stays stored, a closed
 * session stays closed, a full one stays full), so the read is an exact
 * answer; when it shows none of them, the write lost a race against the
 * session's creation and running it again is exact.
 */

/** Every field the create request supplies equals the stored value. */
export function sameSession(
  stored: StoredSessionView,
  request: SessionRequest,
): boolean {
  return (
    stored.language === request.language &&
    (request.metadata === undefined ||
      isDeepStrictEqual(stored.metadata, request.metadata)) &&
    (request.startedAt === undefined ||
      stored.startedAt.getTime() === new Date(request.startedAt).getTime())
  );
}

/** The same event: type, instant and payload (key order aside) as stored. */
export function sameEvent(stored: StoredEvent, request: EventRequest): boolean {
  return (
    stored.type === request.type &&
    stored.timestamp.getTime() === new Date(request.timestamp).getTime() &&
    isDeepStrictEqual(stored.payload, request.payload)
  );
}

export type LostRace = { kind: 'lost-race' };
export type NotFound = { kind: 'not-found' };

export type CreateVerdict =
  | { kind: 'replayed'; session: StoredSessionView }
  | { kind: 'conflict' }
  | LostRace;

/** A create whose insert hit an existing sessionId, from the stored session. */
export function explainRejectedCreate(
  stored: StoredSessionView | null,
  request: SessionRequest,
): CreateVerdict {
  if (!stored) return { kind: 'lost-race' };
  return sameSession(stored, request)
    ? { kind: 'replayed', session: stored }
    : { kind: 'conflict' };
}

export type AppendVerdict =
  | NotFound
  | { kind: 'replayed'; event: StoredEvent; seq: number }
  | { kind: 'conflict' }
  | { kind: 'closed'; status: SessionStatus }
  | { kind: 'full'; limit: 'events'; eventCount: number }
  | { kind: 'full'; limit: 'bytes'; size: number }
  | LostRace;

/**
 * An append whose guard matched nothing, from one lookup of its eventId. A
 * stored eventId is answered first, so that replays work on closed and full
 * sessions too.
 */
export function explainRejectedAppend(
  found: EventLookup | null,
  request: EventRequest,
  size: number,
  limits: AppendLimits,
): AppendVerdict {
  if (!found) return { kind: 'not-found' };
  if (found.event) {
    return sameEvent(found.event, request)
      ? { kind: 'replayed', event: found.event, seq: found.index + 1 }
      : { kind: 'conflict' };
  }
  if (!isOpen(found.status)) return { kind: 'closed', status: found.status };
  if (found.eventCount >= limits.maxEvents) {
    return { kind: 'full', limit: 'events', eventCount: found.eventCount };
  }
  if (found.eventBytes > limits.byteBudget - size) {
    return { kind: 'full', limit: 'bytes', size };
  }
  return { kind: 'lost-race' };
}

export type CloseVerdict =
  | NotFound
  | { kind: 'ended-before-started'; endedAt: Date; startedAt: Date }
  | { kind: 'repeated'; session: StoredSessionView }
  | { kind: 'invalid-transition'; status: SessionStatus }
  | LostRace;

/**
 * A close whose guard matched nothing, from the stored session. A caller's
 * endedAt before startedAt is refused whatever the status; the same terminal
 * status again is a repeat, answered with what is stored.
 */
export function explainRejectedClose(
  stored: StoredSessionView | null,
  closing: Closing,
): CloseVerdict {
  if (!stored) return { kind: 'not-found' };
  if (
    closing.status === 'completed' &&
    closing.endedAt &&
    closing.endedAt < stored.startedAt
  ) {
    return {
      kind: 'ended-before-started',
      endedAt: closing.endedAt,
      startedAt: stored.startedAt,
    };
  }
  if (stored.status === closing.status) {
    return { kind: 'repeated', session: stored };
  }
  if (!isOpen(stored.status)) {
    return { kind: 'invalid-transition', status: stored.status };
  }
  return { kind: 'lost-race' };
}
