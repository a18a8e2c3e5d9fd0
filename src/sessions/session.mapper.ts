import type { Session, StoredEvent } from './schemas/session.schema';
import type {
  BatchEventView,
  EventOutcome,
  EventView,
  SessionView,
} from './dto/views.dto';

/** The stored fields a session view is made of: what every read projects. */
export const SESSION_VIEW_PROJECTION = {
  _id: 0,
  sessionId: 1,
  status: 1,
  language: 1,
  metadata: 1,
  startedAt: 1,
  endedAt: 1,
  failureReason: 1,
  eventCount: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

export type StoredSessionView = Pick<
  Session,
  keyof typeof SESSION_VIEW_PROJECTION & keyof Session
>;

export function toSessionView(doc: StoredSessionView): SessionView {
  return {
    sessionId: doc.sessionId,
    status: doc.status,
    language: doc.language,
    metadata: doc.metadata ?? {},
    startedAt: doc.startedAt.toISOString(),
    endedAt: doc.endedAt ? doc.endedAt.toISOString() : null,
    ...(doc.failureReason !== undefined
      ? { failureReason: doc.failureReason }
      : {}),
    eventCount: doc.eventCount,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export function toEventView(event: StoredEvent, seq: number): EventView {
  return {
    eventId: event.eventId,
    seq,
    type: event.type,
    payload: event.payload,
    timestamp: event.timestamp.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
  };
}

/** Events of a page that starts after `after`: their seq follows from their position. */
export function toEventViews(
  events: StoredEvent[],
  after: number,
): EventView[] {
  return events.map((event, i) => toEventView(event, after + i + 1));
}

/** An event of a batch append's answer: as stored, and what this request did. */
export function toBatchEventView(
  stored: { event: StoredEvent; seq: number },
  outcome: EventOutcome,
): BatchEventView {
  return { ...toEventView(stored.event, stored.seq), outcome };
}
