import { ApiError } from '../common/api-error';
import { LostRaceError } from '../database/mongo-errors';
import type {
  AppendLimits,
  AppendVerdict,
  BatchVerdict,
  Closing,
  CloseVerdict,
  RepeatedEventId,
} from './session-rules';

/*
 * The answers to writes the session rules refused: each verdict becomes the
 * problem the API documents for it. A lost race becomes LostRaceError, which
 * retryTransient answers by running the write again.
 */

export function sessionNotFound(sessionId: string): ApiError {
  return new ApiError('SESSION_NOT_FOUND', `Session ${sessionId} not found.`);
}

export function sessionConflict(sessionId: string): ApiError {
  return new ApiError(
    'SESSION_CONFLICT',
    `Session ${sessionId} already exists with different values.`,
  );
}

export function eventNotFound(sessionId: string, eventId: string): ApiError {
  return new ApiError(
    'EVENT_NOT_FOUND',
    `Event ${eventId} not found in session ${sessionId}.`,
  );
}

export function payloadTooLarge(
  field: string,
  bytes: number,
  limit: number,
): ApiError {
  return new ApiError(
    'PAYLOAD_TOO_LARGE',
    `${field} serializes to ${bytes} bytes; the limit is ${limit}.`,
    [{ field, message: `must be at most ${limit} bytes` }],
  );
}

export function appendRefusal(
  sessionId: string,
  eventId: string,
  verdict: Exclude<AppendVerdict, { kind: 'replayed' }>,
): Error {
  switch (verdict.kind) {
    case 'not-found':
      return sessionNotFound(sessionId);
    case 'conflict':
      return new ApiError(
        'EVENT_CONFLICT',
        `Event ${eventId} already exists in session ${sessionId} with different content.`,
      );
    case 'closed':
      return sessionClosed(sessionId, verdict.status);
    case 'full':
      return new ApiError(
        'SESSION_FULL',
        verdict.limit === 'events'
          ? `Session ${sessionId} holds ${verdict.eventCount} events, the most allowed.`
          : `Session ${sessionId} has no room for ${verdict.size} more bytes of events.`,
      );
    case 'lost-race':
      // The session did not exist when the update ran and was created since:
      // nothing was written, so running the append again is exact.
      return new LostRaceError('the session appeared during the append');
  }
}

export function batchRefusal(
  sessionId: string,
  eventIds: string[],
  verdict: Exclude<BatchVerdict, { kind: 'replayed' | 'narrowed' }>,
  limits: AppendLimits,
): Error {
  switch (verdict.kind) {
    case 'not-found':
      return sessionNotFound(sessionId);
    case 'conflict':
      return new ApiError(
        'EVENT_CONFLICT',
        `${verdict.positions.length} event(s) of the batch already exist in session ${sessionId} with different content; nothing was stored.`,
        verdict.positions.map((i) => ({
          field: `events[${i}].eventId`,
          message: `event ${eventIds[i]} is stored with different content`,
        })),
      );
    case 'closed':
      return sessionClosed(sessionId, verdict.status);
    case 'full':
      return new ApiError(
        'SESSION_FULL',
        `Session ${sessionId} has room for ${verdict.fit} of the batch's ${verdict.fresh} new events (at most ${limits.maxEvents} events and ${limits.byteBudget} bytes of events per session); nothing was stored.`,
      );
    case 'lost-race':
      return new LostRaceError('the session appeared during the batch');
  }
}

export function batchTooLong(count: number, max: number): ApiError {
  return new ApiError(
    'VALIDATION_FAILED',
    `The batch holds ${count} events; at most ${max} are allowed.`,
    [{ field: 'events', message: `must contain at most ${max} events` }],
  );
}

export function repeatedEventIdsRefusal(repeats: RepeatedEventId[]): ApiError {
  return new ApiError(
    'VALIDATION_FAILED',
    repeats
      .map(
        (r) =>
          `eventId ${r.eventId} appears at events[${r.first}] and events[${r.repeat}]`,
      )
      .join('; '),
    repeats.flatMap((r) => [
      {
        field: `events[${r.first}].eventId`,
        message: `is repeated at events[${r.repeat}]`,
      },
      {
        field: `events[${r.repeat}].eventId`,
        message: `repeats events[${r.first}].eventId`,
      },
    ]),
  );
}

export function closeRefusal(
  sessionId: string,
  closing: Closing,
  verdict: Exclude<CloseVerdict, { kind: 'repeated' }>,
): Error {
  switch (verdict.kind) {
    case 'not-found':
      return sessionNotFound(sessionId);
    case 'ended-before-started':
      return new ApiError(
        'ENDED_BEFORE_STARTED',
        `endedAt ${verdict.endedAt.toISOString()} is before the session's startedAt ${verdict.startedAt.toISOString()}.`,
        [{ field: 'endedAt', message: 'must not be before startedAt' }],
      );
    case 'invalid-transition':
      return new ApiError(
        'INVALID_TRANSITION',
        `Session ${sessionId} is ${verdict.status} and cannot become ${closing.status}.`,
      );
    case 'lost-race':
      return new LostRaceError('the session appeared during the close');
  }
}

function sessionClosed(sessionId: string, status: string): ApiError {
  return new ApiError('SESSION_CLOSED', `Session ${sessionId} is ${status}.`);
}
