import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, type mongo } from 'mongoose';
import type { SessionCursor } from './cursor';
import {
  Session,
  type SessionStatus,
  type StoredEvent,
} from './schemas/session.schema';
import {
  SESSION_VIEW_PROJECTION,
  type StoredSessionView,
} from './session.mapper';
import {
  type AppendLimits,
  appendFilter,
  batchAppendFilter,
  batchAppendUpdate,
  type BatchLookup,
  batchLookupPipeline,
  appendUpdate,
  type ClosedFields,
  type Closing,
  closeFilter,
  closeUpdate,
  type EventLookup,
  EVENT_PAGE_FIELDS,
  eventLookupPipeline,
  eventPageProjection,
  newestEventPagePipeline,
  SESSION_LIST_ORDER,
  sessionListFilter,
  sessionWithEventPageProjection,
  type StoredEventPage,
} from './session-rules';

/**
 * Every MongoDB operation on sessions, each one round trip on one document
 * (or one index-ordered page), running the filters, updates and pipelines
 * that session-rules.ts builds. The service decides what the results mean.
 */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
  ) {}

  /** The driver's collection behind the model, typed with the stored shape. */
  private get collection(): mongo.Collection<Session> {
    return this.sessions.collection as unknown as mongo.Collection<Session>;
  }

  /** Inserts a new session; a duplicate sessionId fails with error 11000. */
  async insert(session: Session): Promise<StoredSessionView> {
    // Straight to the driver: the DTO has validated and typed every field,
    // and hydrating a mongoose document only to save it costs CPU per create.
    await this.collection.insertOne(session);
    return session;
  }

  findView(sessionId: string): Promise<StoredSessionView | null> {
    return this.sessions
      .findOne({ sessionId }, SESSION_VIEW_PROJECTION)
      .lean<StoredSessionView>()
      .exec();
  }

  /** The session with one page of its events, sliced by the database. */
  findWithEventPage(
    sessionId: string,
    after: number,
    limit: number,
  ): Promise<(StoredSessionView & StoredEventPage) | null> {
    return this.sessions
      .findOne({ sessionId }, sessionWithEventPageProjection(after, limit))
      .lean<StoredSessionView & StoredEventPage>()
      .exec();
  }

  findEventPage(
    sessionId: string,
    after: number,
    limit: number,
  ): Promise<StoredEventPage | null> {
    return this.sessions
      .findOne({ sessionId }, eventPageProjection(after, limit))
      .lean<StoredEventPage>()
      .exec();
  }

  /** The session with its newest events below `before`, sliced by the database. */
  async findWithNewestEvents(
    sessionId: string,
    before: number | undefined,
    limit: number,
  ): Promise<(StoredSessionView & StoredEventPage) | null> {
    const [found] = await this.sessions.aggregate<
      StoredSessionView & StoredEventPage
    >(
      newestEventPagePipeline(
        sessionId,
        before,
        limit,
        SESSION_VIEW_PROJECTION,
      ),
    );
    return found ?? null;
  }

  async findNewestEventPage(
    sessionId: string,
    before: number | undefined,
    limit: number,
  ): Promise<StoredEventPage | null> {
    const [found] = await this.sessions.aggregate<StoredEventPage>(
      newestEventPagePipeline(sessionId, before, limit, EVENT_PAGE_FIELDS),
    );
    return found ?? null;
  }

  /** The session's state and, if stored, the event with this id and its position. */
  async lookupEvent(
    sessionId: string,
    eventId: string,
  ): Promise<EventLookup | null> {
    const [found] = await this.sessions.aggregate<EventLookup>(
      eventLookupPipeline(sessionId, eventId),
    );
    return found ?? null;
  }

  /**
   * Pushes the event if its guard admits it: one atomic update. Returns the
   * new eventCount (the event's seq), or null when the filter matched nothing.
   */
  async appendIfAdmitted(
    sessionId: string,
    event: StoredEvent,
    size: number,
    limits: AppendLimits,
  ): Promise<number | null> {
    // The driver's own call: the event is already validated and typed, and
    // mongoose casting the update would cost more CPU than the rest of the
    // append in Node.
    const appended = await this.collection.findOneAndUpdate(
      appendFilter(sessionId, event.eventId, size, limits),
      appendUpdate(event, size),
      { returnDocument: 'after', projection: { _id: 0, eventCount: 1 } },
    );
    return appended?.eventCount ?? null;
  }

  /**
   * Pushes all the events, in order, if the batch's guard admits them: one
   * atomic update. Returns the new eventCount (the last event's seq), or
   * null when the filter matched nothing.
   */
  async appendManyIfAdmitted(
    sessionId: string,
    events: StoredEvent[],
    bytes: number,
    limits: AppendLimits,
  ): Promise<number | null> {
    const appended = await this.collection.findOneAndUpdate(
      batchAppendFilter(
        sessionId,
        events.map((e) => e.eventId),
        bytes,
        limits,
      ),
      batchAppendUpdate(events, bytes),
      { returnDocument: 'after', projection: { _id: 0, eventCount: 1 } },
    );
    return appended?.eventCount ?? null;
  }

  /** The session's state and, for each eventId in order, its stored event or null. */
  async lookupEvents(
    sessionId: string,
    eventIds: string[],
  ): Promise<BatchLookup | null> {
    const [found] = await this.sessions.aggregate<BatchLookup>(
      batchLookupPipeline(sessionId, eventIds),
    );
    return found ?? null;
  }

  /** Moves an open session to a terminal status if its guard admits it; null when not. */
  closeIfOpen(
    sessionId: string,
    closing: Closing,
    fields: ClosedFields,
  ): Promise<StoredSessionView | null> {
    return this.sessions
      .findOneAndUpdate(closeFilter(sessionId, closing), closeUpdate(fields), {
        returnDocument: 'after',
        projection: SESSION_VIEW_PROJECTION,
      })
      .lean<StoredSessionView>()
      .exec();
  }

  /** One page of sessions in list order, strictly after the cursor. */
  list(
    status: SessionStatus | undefined,
    cursor: SessionCursor | undefined,
    limit: number,
  ): Promise<StoredSessionView[]> {
    return this.sessions
      .find(sessionListFilter(status, cursor), SESSION_VIEW_PROJECTION)
      .sort(SESSION_LIST_ORDER)
      .limit(limit)
      .lean<StoredSessionView[]>()
      .exec();
  }
}
