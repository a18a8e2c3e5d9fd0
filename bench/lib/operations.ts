import { mongo } from 'mongoose';
import {
  ARRAY_ENTRY_OVERHEAD,
  appendFilter,
  appendUpdate,
  eventsByteBudget,
  eventLookupPipeline,
  eventPageProjection,
  toEventView,
  type EventLookup,
  type Session,
  type StoredEvent,
} from './service-rules';
import {
  BENCH_MAX_EVENTS,
  newSession,
  type AppendBody,
  type SessionCollection,
} from './workload';

/**
 * The service's operations on the raw driver, one database round trip each
 * (two for a replay), built by the service's own builders: what L1 runs
 * directly and L2 runs behind a bare HTTP server.
 */

/** POST /sessions: one insert of the document the service writes. */
export async function opCreate(
  col: SessionCollection,
  sessionId: string,
  language = 'en',
  metadata: Record<string, unknown> = {},
): Promise<Session> {
  const doc = newSession(sessionId, language, metadata);
  await col.insertOne(doc);
  return doc;
}

/** The guard of an append at the benchmark's event cap. */
export function benchAppendFilter(
  sessionId: string,
  eventId: string,
  size: number,
  maxEvents = BENCH_MAX_EVENTS,
): mongo.Filter<Session> {
  return appendFilter(sessionId, eventId, size, {
    maxEvents,
    byteBudget: eventsByteBudget(),
  });
}

/**
 * POST /sessions/:id/events, the guarded findOneAndUpdate of the repository.
 * The new event and its seq, or null when the filter matched nothing.
 */
export async function opAppend(
  col: SessionCollection,
  sessionId: string,
  body: AppendBody,
): Promise<{ event: StoredEvent; seq: number } | null> {
  const event: StoredEvent = {
    eventId: body.eventId,
    type: body.type as StoredEvent['type'],
    payload: body.payload,
    timestamp: new Date(body.timestamp),
    receivedAt: new Date(),
  };
  const size = mongo.BSON.calculateObjectSize(event) + ARRAY_ENTRY_OVERHEAD;
  const appended = await col.findOneAndUpdate(
    benchAppendFilter(sessionId, body.eventId, size),
    appendUpdate(event, size),
    { returnDocument: 'after', projection: { _id: 0, eventCount: 1 } },
  );
  return appended ? { event, seq: appended.eventCount } : null;
}

/** The session's state and the event with this id, one aggregate. */
export async function opLookupEvent(
  col: SessionCollection,
  sessionId: string,
  eventId: string,
): Promise<EventLookup | null> {
  const [found] = await col
    .aggregate<EventLookup>(eventLookupPipeline(sessionId, eventId))
    .toArray();
  return found ?? null;
}

/**
 * A replayed append: the guarded update (which matches nothing, the eventId
 * is stored) and then the lookup, as the service does.
 */
export async function opReplay(
  col: SessionCollection,
  sessionId: string,
  body: AppendBody,
): Promise<{ event: StoredEvent; seq: number; created: boolean } | null> {
  const appended = await opAppend(col, sessionId, body);
  if (appended) return { ...appended, created: true };
  const found = await opLookupEvent(col, sessionId, body.eventId);
  if (!found?.event) return null;
  return { event: found.event, seq: found.index + 1, created: false };
}

export type EventPage = Pick<Session, 'eventCount' | 'events'>;

/** GET /sessions/:id/events?after=&limit=: the page is sliced by the database. */
export function opPage(
  col: SessionCollection,
  sessionId: string,
  after: number,
  limit: number,
): Promise<EventPage | null> {
  return col.findOne<EventPage>(
    { sessionId },
    { projection: eventPageProjection(after, limit) },
  );
}

/** The body of an event page, as the service answers it. */
export function pageView(doc: EventPage, after: number) {
  const events = doc.events.map((e, i) => toEventView(e, after + i + 1));
  const reached = after + events.length;
  return {
    events,
    nextAfter: events.length > 0 && reached < doc.eventCount ? reached : null,
  };
}
