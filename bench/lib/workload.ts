import { mongo } from 'mongoose';
import {
  ARRAY_ENTRY_OVERHEAD,
  type Session,
  type StoredEvent,
} from './service-rules';

/**
 * The data every part of the benchmark agrees on: the event and session
 * shapes, the seeded sessions, and the driver connection the service uses.
 */

export type SessionCollection = mongo.Collection<Session>;

/** The event cap the service and the comparators run with (seeding needs > 5000). */
export const BENCH_MAX_EVENTS = 20000;

/** A typical voice-AI event: one recognised utterance (about 240 BSON bytes stored). */
export const PAYLOAD = Object.freeze({
  text: 'Hello, I would like to change the delivery address on my last order, please. It is urgent!',
  confidence: 0.93,
});
export const EVENT_TYPE = 'user_speech' as const;
const BASE_TS = Date.UTC(2025, 0, 1);

/** The HTTP body of an append, as the service and L2 receive it. */
export interface AppendBody {
  eventId: string;
  type: string;
  payload: Record<string, unknown>;
  timestamp: string;
}

/** Seeded event i of every seeded session: deterministic, so a replay can send it again. */
export function seededEvent(i: number): StoredEvent {
  const at = new Date(BASE_TS + i * 1000);
  return {
    eventId: `e${i}`,
    type: EVENT_TYPE,
    payload: PAYLOAD,
    timestamp: at,
    receivedAt: at,
  };
}

/** The body that appends (or replays) seeded event i. */
export function seededEventBody(i: number): AppendBody {
  return {
    eventId: `e${i}`,
    type: EVENT_TYPE,
    payload: PAYLOAD,
    timestamp: new Date(BASE_TS + i * 1000).toISOString(),
  };
}

/** The body of a new event with this id, stamped now. */
export function newEventBody(eventId: string): AppendBody {
  return {
    eventId,
    type: EVENT_TYPE,
    payload: PAYLOAD,
    timestamp: new Date().toISOString(),
  };
}

/** Events e0..e{n-1}, shared by all seeded sessions, and their eventBytes. */
const eventsCache = new Map<number, { events: StoredEvent[]; bytes: number }>();
export function seededEvents(n: number): {
  events: StoredEvent[];
  bytes: number;
} {
  let cached = eventsCache.get(n);
  if (!cached) {
    const events: StoredEvent[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const e = seededEvent(i);
      bytes += mongo.BSON.calculateObjectSize(e) + ARRAY_ENTRY_OVERHEAD;
      events.push(e);
    }
    cached = { events, bytes };
    eventsCache.set(n, cached);
  }
  return cached;
}

/** The document the service's create inserts. */
export function newSession(
  sessionId: string,
  language = 'en',
  metadata: Record<string, unknown> = {},
): Session {
  const now = new Date();
  return {
    sessionId,
    status: 'initiated',
    language,
    metadata,
    startedAt: now,
    endedAt: null,
    eventCount: 0,
    eventBytes: 0,
    events: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** A stored session with n events, exactly as the service's schema writes it. */
export function seededSession(sessionId: string, n: number): Session {
  const { events, bytes } = seededEvents(n);
  return {
    ...newSession(sessionId),
    status: 'active',
    eventCount: n,
    eventBytes: bytes,
    events,
  };
}

/** Replaces (or adds) the database name of a mongodb:// or mongodb+srv:// URI. */
export function withDatabase(uri: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/([^?]*))?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`not a mongodb URI: ${uri}`);
  return `${m[1]}/${db}${m[3] ?? ''}`;
}

/** A client with the driver options the service uses (src/database/database.options.ts). */
export function connect(uri: string): Promise<mongo.MongoClient> {
  return new mongo.MongoClient(uri, {
    maxPoolSize: 50,
    serverSelectionTimeoutMS: 5000,
    heartbeatFrequencyMS: 2000,
    writeConcern: { w: 'majority' },
  }).connect();
}

export function sessionsOf(client: mongo.MongoClient): SessionCollection {
  return client.db().collection<Session>('sessions');
}
