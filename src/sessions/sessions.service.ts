import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mongo } from 'mongoose';
import { isDeepStrictEqual } from 'node:util';
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
import { type Conditional, conditionalPage, eventTag } from './etag';
import { toEventPage } from './event-page';
import type { Outcome } from './outcome';
import { OPEN_STATUSES, type StoredEvent } from './schemas/session.schema';
import {
  type StoredSessionView,
  toEventView,
  toSessionView,
} from './session.mapper';
import { SessionsRepository } from './sessions.repository';

/** MongoDB's document limit, less room for the session's own fields (metadata <= 16 KiB). */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
export const EVENTS_BYTE_BUDGET = MAX_DOCUMENT_BYTES - 64 * 1024;
/** Per-element overhead of an array entry in BSON: type byte, index key and its NUL. */
const ARRAY_ENTRY_OVERHEAD = 8;

type Closing =
  | { status: 'completed'; endedAt?: Date }
  | { status: 'failed'; reason?: string };

/**
 * The domain rules: idempotent creates and appends, conflicts, limits and
 * state transitions. Every write is one atomic single-document operation
 * (SessionsRepository); when it does not apply, one read says why.
 */
@Injectable()
export class SessionsService {
  private readonly maxEvents: number;
  private readonly maxPayloadBytes: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.maxEvents = config.getOrThrow('MAX_EVENTS_PER_SESSION', {
      infer: true,
    });
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
    const location = sessionLocation(dto.sessionId);
    const fresh = {
      sessionId: dto.sessionId,
      status: 'initiated' as const,
      language: dto.language,
      metadata: dto.metadata ?? {},
      startedAt: dto.startedAt ? new Date(dto.startedAt) : new Date(),
      endedAt: null,
      eventCount: 0,
      eventBytes: 0,
      events: [],
    };
    return retryTransient(async () => {
      try {
        const created = await this.sessions.insert(fresh);
        this.metrics.sessionWrite('created');
        return { value: toSessionView(created), created: true, location };
      } catch (error) {
        if (!isDuplicateKeyError(error) && !isTransientWriteError(error))
          throw error;
        const stored = await this.sessions.findView(dto.sessionId);
        // Still absent after a lost race: the write itself must be retried.
        if (!stored) throw error;
        if (!sameSession(stored, dto)) {
          this.metrics.sessionWrite('conflict');
          throw new ApiError(
            'SESSION_CONFLICT',
            `Session ${dto.sessionId} already exists with different values.`,
          );
        }
        this.metrics.sessionWrite('replayed');
        return { value: toSessionView(stored), created: false, location };
      }
    });
  }

  /** The session with one page of its events, oldest or newest first: one read. */
  async get(
    sessionId: string,
    page: EventPageQuery,
  ): Promise<Conditional<SessionWithEvents>> {
    const doc =
      page.order === 'desc'
        ? await this.sessions.findWithNewestEvents(
            sessionId,
            page.before,
            page.limit,
          )
        : await this.sessions.findWithEventPage(
            sessionId,
            page.after ?? 0,
            page.limit,
          );
    if (!doc) throw sessionNotFound(sessionId);
    return conditionalPage(
      { ...toSessionView(doc), ...toEventPage(doc, page) },
      'session',
      doc,
      page,
    );
  }

  async listEvents(
    sessionId: string,
    page: EventPageQuery,
  ): Promise<Conditional<EventPage>> {
    const doc =
      page.order === 'desc'
        ? await this.sessions.findNewestEventPage(
            sessionId,
            page.before,
            page.limit,
          )
        : await this.sessions.findEventPage(
            sessionId,
            page.after ?? 0,
            page.limit,
          );
    if (!doc) throw sessionNotFound(sessionId);
    return conditionalPage(toEventPage(doc, page), 'events', doc, page);
  }

  async getEvent(
    sessionId: string,
    eventId: string,
  ): Promise<Conditional<EventView>> {
    const found = await this.sessions.lookupEvent(sessionId, eventId);
    if (!found) throw sessionNotFound(sessionId);
    if (!found.event) {
      throw new ApiError(
        'EVENT_NOT_FOUND',
        `Event ${eventId} not found in session ${sessionId}.`,
      );
    }
    const seq = found.index + 1;
    return {
      value: toEventView(found.event, seq),
      etag: eventTag(seq, found.event.receivedAt),
      // Stored events are never changed or removed.
      final: true,
    };
  }

  /**
   * Appends in one guarded update: the filter admits the push only while the
   * session is open, has room, and does not hold this eventId yet. When it
   * matches nothing, one read tells which of those held, and every one of
   * them is permanent once true, so that read is an exact answer.
   */
  async appendEvent(
    sessionId: string,
    dto: AppendEventDto,
  ): Promise<Outcome<EventView>> {
    const payloadBytes = jsonByteLength(dto.payload);
    if (payloadBytes > this.maxPayloadBytes) {
      throw new ApiError(
        'PAYLOAD_TOO_LARGE',
        `payload serializes to ${payloadBytes} bytes; the limit is ${this.maxPayloadBytes}.`,
        [
          {
            field: 'payload',
            message: `must be at most ${this.maxPayloadBytes} bytes`,
          },
        ],
      );
    }
    const location = `${sessionLocation(sessionId)}/events/${encodeURIComponent(dto.eventId)}`;
    const timestamp = new Date(dto.timestamp);
    const limits = {
      maxEvents: this.maxEvents,
      byteBudget: EVENTS_BYTE_BUDGET,
    };

    return retryTransient(async () => {
      const event: StoredEvent = {
        eventId: dto.eventId,
        type: dto.type,
        payload: dto.payload,
        timestamp,
        receivedAt: new Date(),
      };
      const size = mongo.BSON.calculateObjectSize(event) + ARRAY_ENTRY_OVERHEAD;
      const seq = await this.sessions.appendIfAdmitted(
        sessionId,
        event,
        size,
        limits,
      );
      if (seq !== null) {
        this.metrics.eventWrite('created');
        return { value: toEventView(event, seq), created: true, location };
      }

      const found = await this.sessions.lookupEvent(sessionId, dto.eventId);
      if (!found) throw sessionNotFound(sessionId);
      if (found.event) {
        if (!sameEvent(found.event, dto, timestamp)) {
          this.metrics.eventWrite('conflict');
          throw new ApiError(
            'EVENT_CONFLICT',
            `Event ${dto.eventId} already exists in session ${sessionId} with different content.`,
          );
        }
        this.metrics.eventWrite('replayed');
        return {
          value: toEventView(found.event, found.index + 1),
          created: false,
          location,
        };
      }
      if (!OPEN_STATUSES.includes(found.status)) {
        throw new ApiError(
          'SESSION_CLOSED',
          `Session ${sessionId} is ${found.status}.`,
        );
      }
      if (found.eventCount >= this.maxEvents) {
        throw new ApiError(
          'SESSION_FULL',
          `Session ${sessionId} holds ${found.eventCount} events, the most allowed.`,
        );
      }
      if (found.eventBytes > EVENTS_BYTE_BUDGET - size) {
        throw new ApiError(
          'SESSION_FULL',
          `Session ${sessionId} has no room for ${size} more bytes of events.`,
        );
      }
      // The session did not exist when the update ran and was created since:
      // nothing was written, so running the append again is exact.
      throw new LostRaceError('the session appeared during the append');
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

  /**
   * One conditional update from an open status; a racer that loses reads the
   * stored outcome. Terminal states never change, so repeats answer with the
   * stored endedAt and reason.
   */
  private async close(
    sessionId: string,
    closing: Closing,
  ): Promise<SessionView> {
    const suppliedEnd =
      closing.status === 'completed' ? closing.endedAt : undefined;
    const endedAt = suppliedEnd ?? new Date();
    const update =
      closing.status === 'failed' && closing.reason !== undefined
        ? { status: closing.status, endedAt, failureReason: closing.reason }
        : { status: closing.status, endedAt };

    return retryTransient(async () => {
      const closed = await this.sessions.closeIfOpen(
        sessionId,
        update,
        suppliedEnd,
      );
      if (closed) return toSessionView(closed);

      const stored = await this.sessions.findView(sessionId);
      if (!stored) throw sessionNotFound(sessionId);
      if (suppliedEnd && suppliedEnd < stored.startedAt) {
        throw new ApiError(
          'ENDED_BEFORE_STARTED',
          `endedAt ${suppliedEnd.toISOString()} is before the session's startedAt ${stored.startedAt.toISOString()}.`,
          [{ field: 'endedAt', message: 'must not be before startedAt' }],
        );
      }
      if (stored.status === closing.status) return toSessionView(stored);
      if (!OPEN_STATUSES.includes(stored.status)) {
        throw new ApiError(
          'INVALID_TRANSITION',
          `Session ${sessionId} is ${stored.status} and cannot become ${closing.status}.`,
        );
      }
      throw new LostRaceError('the session appeared during the close');
    });
  }
}

function sessionLocation(sessionId: string): string {
  return `/sessions/${encodeURIComponent(sessionId)}`;
}

function sessionNotFound(sessionId: string): ApiError {
  return new ApiError('SESSION_NOT_FOUND', `Session ${sessionId} not found.`);
}

/** Every field the create request supplies equals the stored value. */
function sameSession(
  stored: StoredSessionView,
  dto: CreateSessionDto,
): boolean {
  return (
    stored.language === dto.language &&
    (dto.metadata === undefined ||
      isDeepStrictEqual(stored.metadata, dto.metadata)) &&
    (dto.startedAt === undefined ||
      stored.startedAt.getTime() === new Date(dto.startedAt).getTime())
  );
}

function sameEvent(
  stored: StoredEvent,
  dto: AppendEventDto,
  timestamp: Date,
): boolean {
  return (
    stored.type === dto.type &&
    stored.timestamp.getTime() === timestamp.getTime() &&
    isDeepStrictEqual(stored.payload, dto.payload)
  );
}
