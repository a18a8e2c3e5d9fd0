import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiError } from '../common/api-error';
import { jsonByteLength } from '../common/validation';
import type { Env } from '../config/env.validation';
import {
  isDuplicateKeyError,
  isTransientWriteError,
  LostRaceError,
} from '../database/mongo-errors';
import { retryTransient } from '../database/retry';
import { Metrics } from '../metrics/metrics';
import { decodeCursor, encodeCursor } from './cursor';
import { AppendEventDto } from './dto/append-event.dto';
import { CompleteSessionDto, FailSessionDto } from './dto/close-session.dto';
import { CreateSessionDto } from './dto/create-session.dto';
import { EventPageQuery, SessionListQuery } from './dto/query.dto';
import type {
  EventPage,
  EventView,
  SessionPage,
  SessionView,
  SessionWithEvents,
} from './dto/views.dto';
import type { Outcome } from './outcome';
import { toEventView, toEventViews, toSessionView } from './session.mapper';
import {
  type AppendLimits,
  appendLimits,
  type AppendVerdict,
  type Closing,
  closedFields,
  type CloseVerdict,
  eventSize,
  explainRejectedAppend,
  explainRejectedClose,
  explainRejectedCreate,
  newSession,
  type StoredEventPage,
  storedEvent,
} from './session-rules';
import { SessionsRepository } from './sessions.repository';

/**
 * Orchestrates the session rules (session-rules.ts): every write is one
 * guarded single-document operation (SessionsRepository); when it does not
 * apply, one read and the rules' verdict say why, and the verdict becomes the
 * answer here.
 */
@Injectable()
export class SessionsService {
  private readonly limits: AppendLimits;
  private readonly maxPayloadBytes: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.limits = appendLimits(
      config.getOrThrow('MAX_EVENTS_PER_SESSION', { infer: true }),
    );
    this.maxPayloadBytes = config.getOrThrow('MAX_EVENT_PAYLOAD_BYTES', {
      infer: true,
    });
  }

  /**
   * Creates the session with a plain insert; the unique index on sessionId
   * decides races. A duplicate key (or an engine-level lost race) is answered
   * from the stored session: identical request -> replay, else conflict.
   */
  async create(dto: CreateSessionDto): Promise<Outcome<SessionView>> {
    const resource = { sessionId: dto.sessionId };
    return retryTransient(async () => {
      try {
        const created = await this.sessions.insert(newSession(dto, new Date()));
        this.metrics.sessionWrite('created');
        return { value: toSessionView(created), created: true, resource };
      } catch (error) {
        if (!isDuplicateKeyError(error) && !isTransientWriteError(error))
          throw error;
        const stored = await this.sessions.findView(dto.sessionId);
        const verdict = explainRejectedCreate(stored, dto);
        // Still absent after a lost race: the write itself must be retried.
        if (verdict.kind === 'lost-race') throw error;
        if (verdict.kind === 'conflict') {
          this.metrics.sessionWrite('conflict');
          throw new ApiError(
            'SESSION_CONFLICT',
            `Session ${dto.sessionId} already exists with different values.`,
          );
        }
        this.metrics.sessionWrite('replayed');
        return {
          value: toSessionView(verdict.session),
          created: false,
          resource,
        };
      }
    });
  }

  async get(
    sessionId: string,
    page: EventPageQuery,
  ): Promise<SessionWithEvents> {
    const doc = await this.sessions.findWithEventPage(
      sessionId,
      page.after,
      page.limit,
    );
    if (!doc) throw sessionNotFound(sessionId);
    return { ...toSessionView(doc), ...eventPage(doc, page) };
  }

  async listEvents(
    sessionId: string,
    page: EventPageQuery,
  ): Promise<EventPage> {
    const doc = await this.sessions.findEventPage(
      sessionId,
      page.after,
      page.limit,
    );
    if (!doc) throw sessionNotFound(sessionId);
    return eventPage(doc, page);
  }

  async getEvent(sessionId: string, eventId: string): Promise<EventView> {
    const found = await this.sessions.lookupEvent(sessionId, eventId);
    if (!found) throw sessionNotFound(sessionId);
    if (!found.event) {
      throw new ApiError(
        'EVENT_NOT_FOUND',
        `Event ${eventId} not found in session ${sessionId}.`,
      );
    }
    return toEventView(found.event, found.index + 1);
  }

  /**
   * Appends in one guarded update (open, room left, eventId not stored yet);
   * when it matches nothing, one lookup of the eventId says why.
   */
  async appendEvent(
    sessionId: string,
    dto: AppendEventDto,
  ): Promise<Outcome<EventView>> {
    this.checkPayloadSize(dto, 'payload');
    const resource = { sessionId, eventId: dto.eventId };
    return retryTransient(async () => {
      const event = storedEvent(dto, new Date());
      const size = eventSize(event);
      const seq = await this.sessions.appendIfAdmitted(
        sessionId,
        event,
        size,
        this.limits,
      );
      if (seq !== null) {
        this.metrics.eventWrite('created');
        return { value: toEventView(event, seq), created: true, resource };
      }
      const found = await this.sessions.lookupEvent(sessionId, dto.eventId);
      const verdict = explainRejectedAppend(found, dto, size, this.limits);
      if (verdict.kind !== 'replayed') {
        throw appendRefusal(sessionId, dto.eventId, verdict, this.metrics);
      }
      this.metrics.eventWrite('replayed');
      return {
        value: toEventView(verdict.event, verdict.seq),
        created: false,
        resource,
      };
    });
  }

  complete(sessionId: string, dto: CompleteSessionDto): Promise<SessionView> {
    return this.close(sessionId, {
      status: 'completed',
      endedAt: dto.endedAt ? new Date(dto.endedAt) : undefined,
    });
  }

  fail(sessionId: string, dto: FailSessionDto): Promise<SessionView> {
    return this.close(sessionId, { status: 'failed', reason: dto.reason });
  }

  async list(query: SessionListQuery): Promise<SessionPage> {
    const cursor =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) {
      throw new ApiError('VALIDATION_FAILED', 'cursor is malformed.', [
        {
          field: 'cursor',
          message: 'must be a nextCursor returned by this endpoint',
        },
      ]);
    }
    // One more than asked for tells whether another page follows.
    const docs = await this.sessions.list(
      query.status,
      cursor,
      query.limit + 1,
    );
    const page = docs.slice(0, query.limit);
    const last = page.at(-1);
    return {
      sessions: page.map(toSessionView),
      nextCursor: docs.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  /** MAX_EVENT_PAYLOAD_BYTES, measured as JSON: over it, 413 naming the field. */
  private checkPayloadSize(dto: AppendEventDto, field: string): void {
    const payloadBytes = jsonByteLength(dto.payload);
    if (payloadBytes > this.maxPayloadBytes) {
      throw new ApiError(
        'PAYLOAD_TOO_LARGE',
        `${field} serializes to ${payloadBytes} bytes; the limit is ${this.maxPayloadBytes}.`,
        [{ field, message: `must be at most ${this.maxPayloadBytes} bytes` }],
      );
    }
  }

  /**
   * One guarded update from an open status; a racer that loses reads the
   * stored outcome. Terminal states never change, so repeats answer with the
   * stored endedAt and reason.
   */
  private close(sessionId: string, closing: Closing): Promise<SessionView> {
    const fields = closedFields(closing, new Date());
    return retryTransient(async () => {
      const closed = await this.sessions.closeIfOpen(
        sessionId,
        closing,
        fields,
      );
      if (closed) return toSessionView(closed);
      const stored = await this.sessions.findView(sessionId);
      const verdict = explainRejectedClose(stored, closing);
      if (verdict.kind === 'repeated') return toSessionView(verdict.session);
      throw closeRefusal(sessionId, closing, verdict);
    });
  }
}

function sessionNotFound(sessionId: string): ApiError {
  return new ApiError('SESSION_NOT_FOUND', `Session ${sessionId} not found.`);
}

/** The answer to an append its guard refused; a lost race is retried. */
function appendRefusal(
  sessionId: string,
  eventId: string,
  verdict: Exclude<AppendVerdict, { kind: 'replayed' }>,
  metrics: Metrics,
): Error {
  switch (verdict.kind) {
    case 'not-found':
      return sessionNotFound(sessionId);
    case 'conflict':
      metrics.eventWrite('conflict');
      return new ApiError(
        'EVENT_CONFLICT',
        `Event ${eventId} already exists in session ${sessionId} with different content.`,
      );
    case 'closed':
      return new ApiError(
        'SESSION_CLOSED',
        `Session ${sessionId} is ${verdict.status}.`,
      );
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

function closeRefusal(
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

function eventPage(doc: StoredEventPage, page: EventPageQuery): EventPage {
  const events = toEventViews(doc.events, page.after);
  const reached = page.after + events.length;
  return {
    events,
    nextAfter: events.length > 0 && reached < doc.eventCount ? reached : null,
  };
}
