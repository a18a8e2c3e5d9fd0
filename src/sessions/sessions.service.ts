import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import {
  isDuplicateKeyError,
  isTransientWriteError,
} from '../database/mongo-errors';
import { retryTransient } from '../database/retry';
import { Metrics } from '../metrics/metrics';
import { decodeCursor, encodeCursor } from './cursor';
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
import type { Outcome } from './outcome';
import {
  closeRefusal,
  eventNotFound,
  sessionConflict,
  sessionNotFound,
} from './refusals';
import { toEventView, toSessionView } from './session.mapper';
import {
  type Closing,
  closedFields,
  explainRejectedClose,
  explainRejectedCreate,
  newSession,
  toEventPage,
} from './session-rules';
import { SessionsRepository } from './sessions.repository';

/**
 * Sessions: create, close and read. Orchestrates the session rules
 * (session-rules.ts): every write is one guarded single-document operation
 * (SessionsRepository); when it does not apply, one read and the rules'
 * verdict say why, and refusals.ts turns the verdict into the answer. Appends
 * are EventsService's.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly metrics: Metrics,
  ) {}

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
          throw sessionConflict(dto.sessionId);
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
      throw eventNotFound(sessionId, eventId);
    }
    const seq = found.index + 1;
    return {
      value: toEventView(found.event, seq),
      etag: eventTag(seq, found.event.receivedAt),
      // Stored events are never changed or removed.
      final: true,
    };
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
