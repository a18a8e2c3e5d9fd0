import { isDeepStrictEqual } from 'node:util';
import { PROBLEMS } from '../../src/common/problem-codes';
import { MAX_FAILURE_REASON_LENGTH } from '../../src/sessions/session-rules';

/**
 * A plain in-memory model of the sessions API contract (README "API"): what
 * each write must answer given what is stored, and what is stored afterwards.
 * test/model.property.e2e-spec.ts runs random command sequences against the
 * real service and this model side by side.
 */

export type SessionStatus = 'initiated' | 'active' | 'completed' | 'failed';
export type EventType = 'user_speech' | 'bot_speech' | 'system';
export type JsonObject = Record<string, unknown>;

export interface CreateBody {
  sessionId: string;
  language: string;
  metadata?: JsonObject;
  startedAt?: string;
}

export interface AppendBody {
  eventId: string;
  type: EventType;
  payload: JsonObject;
  timestamp: string;
}

export interface ModelEvent {
  eventId: string;
  type: EventType;
  payload: JsonObject;
  /** Epoch ms of the caller's timestamp. */
  timestamp: number;
  seq: number;
  /** The server's time of storage, as the 201 reported it. */
  receivedAt: string;
  /** The body that stored it, for replays. */
  body: AppendBody;
}

export interface ModelSession {
  sessionId: string;
  language: string;
  metadata: JsonObject;
  startedAt: number;
  status: SessionStatus;
  endedAt: number | null;
  failureReason?: string;
  events: ModelEvent[];
  createdAt: string;
  /** Set by every write that changes the session, read back from the database. */
  updatedAt: number;
  /** The body that created it, for replays. */
  body: CreateBody;
}

/** An answer the contract requires: a success, or a problem with its code. */
export type Expected =
  { status: 200 | 201 } | { status: 400 | 404 | 409; code: string };

const ok = (status: 200 | 201): Expected => ({ status });
const problem = (status: 400 | 404 | 409, code: string): Expected => ({
  status,
  code,
});

/**
 * What `POST /complete` answers when endedAt is before the session's
 * startedAt: 409 ENDED_BEFORE_STARTED where the problem catalogue has that
 * code (a conflict with the stored startedAt, which the OpenAPI document
 * cannot describe as a 400), else 400 VALIDATION_FAILED.
 */
export const ENDED_BEFORE_STARTED: Expected =
  'ENDED_BEFORE_STARTED' in PROBLEMS
    ? problem(409, 'ENDED_BEFORE_STARTED')
    : problem(400, 'VALIDATION_FAILED');

export class ConversationModel {
  readonly sessions = new Map<string, ModelSession>();

  constructor(readonly maxEvents: number) {}

  get(sessionId: string): ModelSession | undefined {
    return this.sessions.get(sessionId);
  }

  /** POST /sessions: 201 new, 200 when every supplied field equals the stored one, else 409. */
  create(body: CreateBody): Expected {
    const stored = this.sessions.get(body.sessionId);
    if (!stored) return ok(201);
    const same =
      stored.language === body.language &&
      (body.metadata === undefined ||
        isDeepStrictEqual(stored.metadata, body.metadata)) &&
      (body.startedAt === undefined ||
        Date.parse(body.startedAt) === stored.startedAt);
    return same ? ok(200) : problem(409, 'SESSION_CONFLICT');
  }

  created(
    body: CreateBody,
    response: { startedAt: string; createdAt: string },
  ): ModelSession {
    const session: ModelSession = {
      sessionId: body.sessionId,
      language: body.language,
      metadata: body.metadata ?? {},
      startedAt: Date.parse(response.startedAt),
      status: 'initiated',
      endedAt: null,
      events: [],
      createdAt: response.createdAt,
      updatedAt: Date.parse(response.createdAt),
      body,
    };
    this.sessions.set(body.sessionId, session);
    return session;
  }

  /**
   * POST /sessions/:id/events: a stored eventId is answered first (200 replay
   * with the original seq when identical, even once closed or full; 409
   * EVENT_CONFLICT when not); then a closed session is 409 SESSION_CLOSED, a
   * full one 409 SESSION_FULL; else 201 with the next seq.
   */
  append(sessionId: string, body: AppendBody): Expected {
    const session = this.sessions.get(sessionId);
    if (!session) return problem(404, 'SESSION_NOT_FOUND');
    const stored = this.event(session, body.eventId);
    if (stored) {
      const same =
        stored.type === body.type &&
        stored.timestamp === Date.parse(body.timestamp) &&
        isDeepStrictEqual(stored.payload, body.payload);
      return same ? ok(200) : problem(409, 'EVENT_CONFLICT');
    }
    if (session.status === 'completed' || session.status === 'failed') {
      return problem(409, 'SESSION_CLOSED');
    }
    if (session.events.length >= this.maxEvents) {
      return problem(409, 'SESSION_FULL');
    }
    return ok(201);
  }

  appended(
    sessionId: string,
    body: AppendBody,
    response: { receivedAt: string },
  ): ModelEvent {
    const session = this.sessions.get(sessionId)!;
    const event: ModelEvent = {
      eventId: body.eventId,
      type: body.type,
      payload: body.payload,
      timestamp: Date.parse(body.timestamp),
      seq: session.events.length + 1,
      receivedAt: response.receivedAt,
      body,
    };
    session.events.push(event);
    session.status = 'active';
    return event;
  }

  event(session: ModelSession, eventId: string): ModelEvent | undefined {
    return session.events.find((e) => e.eventId === eventId);
  }

  /**
   * POST /sessions/:id/complete: endedAt before startedAt is refused whatever
   * the state; a completed session answers 200 with what is stored, a failed
   * one 409 INVALID_TRANSITION; an open one becomes completed.
   */
  complete(sessionId: string, endedAt: string | undefined): Expected {
    const session = this.sessions.get(sessionId);
    if (!session) return problem(404, 'SESSION_NOT_FOUND');
    if (endedAt !== undefined && Date.parse(endedAt) < session.startedAt) {
      return ENDED_BEFORE_STARTED;
    }
    if (session.status === 'failed') {
      return problem(409, 'INVALID_TRANSITION');
    }
    return ok(200);
  }

  /** POST /sessions/:id/fail: a failed session answers 200 unchanged, a completed one 409. */
  fail(sessionId: string, reason: string | undefined): Expected {
    if (
      reason !== undefined &&
      (reason.length > MAX_FAILURE_REASON_LENGTH || !reason.isWellFormed())
    ) {
      return problem(400, 'VALIDATION_FAILED');
    }
    const session = this.sessions.get(sessionId);
    if (!session) return problem(404, 'SESSION_NOT_FOUND');
    if (session.status === 'completed') {
      return problem(409, 'INVALID_TRANSITION');
    }
    return ok(200);
  }

  /** An open session closes: the server chose endedAt unless the caller did. */
  closed(
    sessionId: string,
    closing: { status: 'completed' | 'failed'; reason?: string },
    response: { endedAt: string },
  ): void {
    const session = this.sessions.get(sessionId)!;
    if (session.status === 'completed' || session.status === 'failed') return;
    session.status = closing.status;
    session.endedAt = Date.parse(response.endedAt);
    if (closing.reason !== undefined) session.failureReason = closing.reason;
  }

  /** The representation GET /sessions/:id and the writes answer with (updatedAt aside). */
  sessionView(session: ModelSession): Record<string, unknown> {
    return {
      sessionId: session.sessionId,
      status: session.status,
      language: session.language,
      metadata: session.metadata,
      startedAt: new Date(session.startedAt).toISOString(),
      endedAt:
        session.endedAt === null
          ? null
          : new Date(session.endedAt).toISOString(),
      ...(session.failureReason !== undefined
        ? { failureReason: session.failureReason }
        : {}),
      eventCount: session.events.length,
      createdAt: session.createdAt,
    };
  }

  eventView(event: ModelEvent): Record<string, unknown> {
    return {
      eventId: event.eventId,
      seq: event.seq,
      type: event.type,
      payload: event.payload,
      timestamp: new Date(event.timestamp).toISOString(),
      receivedAt: event.receivedAt,
    };
  }

  /** GET /sessions/:id/events?after&limit: the page and where the next one starts. */
  eventPage(
    session: ModelSession,
    after: number,
    limit: number,
  ): { events: Record<string, unknown>[]; nextAfter: number | null } {
    const events = session.events.slice(after, after + limit);
    const reached = after + events.length;
    return {
      events: events.map((e) => this.eventView(e)),
      nextAfter:
        events.length > 0 && reached < session.events.length ? reached : null,
    };
  }

  /** GET /sessions?status: newest startedAt first, ties by sessionId. */
  list(status: SessionStatus | undefined): ModelSession[] {
    return [...this.sessions.values()]
      .filter((s) => status === undefined || s.status === status)
      .sort(
        (a, b) =>
          b.startedAt - a.startedAt ||
          (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0),
      );
  }
}

/** `ms` written in another time zone: the same instant, another string. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local.slice(0, -1)}${sign}${hh}:${mm}`;
}

/** The same JSON object with its keys (at every level) in reverse order. */
export function reorderKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reorderKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).reverse();
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) result[key] = reorderKeys(item);
  return result as T;
}
