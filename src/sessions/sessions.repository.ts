import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, type mongo, type QueryFilter } from 'mongoose';
import type { SessionCursor } from './cursor';
import type { TaggedState } from './etag';
import {
  newestEventPagePipeline,
  type StoredEventPage as BaseEventPage,
} from './event-page';
import {
  OPEN_STATUSES,
  Session,
  type SessionStatus,
  type StoredEvent,
} from './schemas/session.schema';
import {
  SESSION_VIEW_PROJECTION,
  type StoredSessionView,
} from './session.mapper';

/**
 * "The session is open", written so that the planner keeps using the unique
 * sessionId index. With a plain `status: { $in: [...] }` the PostgreSQL-backed
 * engine picks the { status, startedAt, sessionId } index instead and scans
 * every open session: 5.8 ms against 1.8 ms per guarded update with 20,000
 * sessions. MongoDB plans both forms on sessionId.
 */
const IS_OPEN = { $expr: { $in: ['$status', OPEN_STATUSES] } };

/** What one read of a session says about one eventId. */
export interface EventLookup {
  status: SessionStatus;
  eventCount: number;
  eventBytes: number;
  index: number;
  event: StoredEvent | null;
}

export interface AppendLimits {
  maxEvents: number;
  /** Most bytes of events the document may hold after this append. */
  byteBudget: number;
}

/** An event page with the state its entity tag is derived from. */
export type StoredEventPage = BaseEventPage & TaggedState;

/** The fields of an event page's read besides its events. */
const EVENT_PAGE_FIELDS = {
  _id: 0,
  status: 1,
  eventCount: 1,
  updatedAt: 1,
} as const;

/*
 * The filters, updates and pipelines of the hot operations, as plain values:
 * the benchmark's raw-driver comparators run exactly these.
 */

/** The guard of an append: open, room left, this eventId not stored yet. */
export function appendFilter(
  sessionId: string,
  eventId: string,
  size: number,
  limits: AppendLimits,
): mongo.Filter<Session> {
  return {
    sessionId,
    ...IS_OPEN,
    'events.eventId': { $ne: eventId },
    eventCount: { $lt: limits.maxEvents },
    eventBytes: { $lte: limits.byteBudget - size },
  };
}

export function appendUpdate(
  event: StoredEvent,
  size: number,
): mongo.UpdateFilter<Session> {
  return {
    $push: { events: event },
    $inc: { eventCount: 1, eventBytes: size },
    $set: { status: 'active', updatedAt: event.receivedAt },
  };
}

export function eventPageProjection(after: number, limit: number) {
  return {
    ...EVENT_PAGE_FIELDS,
    events: { $slice: [after, limit] as [number, number] },
  } as const;
}

/** The session's view with one page of its events: also each poll of a live tail. */
export function sessionPageProjection(after: number, limit: number) {
  return {
    ...SESSION_VIEW_PROJECTION,
    events: { $slice: [after, limit] as [number, number] },
  } as const;
}

/** One read: the session's state, and the event with this id and its position. */
export function eventLookupPipeline(sessionId: string, eventId: string) {
  return [
    { $match: { sessionId } },
    {
      $project: {
        _id: 0,
        status: 1,
        eventCount: 1,
        eventBytes: 1,
        events: 1,
        index: { $indexOfArray: ['$events.eventId', { $literal: eventId }] },
      },
    },
    {
      $project: {
        status: 1,
        eventCount: 1,
        eventBytes: 1,
        index: 1,
        event: {
          $cond: [
            { $gte: ['$index', 0] },
            { $arrayElemAt: ['$events', '$index'] },
            null,
          ],
        },
      },
    },
  ];
}

/**
 * Every MongoDB operation on sessions, each one round trip on one document
 * (or one index-ordered page), projecting only what the caller needs. The
 * service decides what the results mean.
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
  async insert(
    session: Omit<Session, 'createdAt' | 'updatedAt'>,
  ): Promise<StoredSessionView> {
    // Straight to the driver: the DTO has validated and typed every field,
    // and hydrating a mongoose document only to save it costs CPU per create.
    const now = new Date();
    const doc: Session = { ...session, createdAt: now, updatedAt: now };
    await this.collection.insertOne(doc);
    return doc;
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
      .findOne({ sessionId }, sessionPageProjection(after, limit))
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
   * Pushes the event only while the session is open, has room and does not
   * hold this eventId yet: one atomic update. Returns the new eventCount
   * (the event's seq), or null when the filter matched nothing.
   */
  async appendIfAdmitted(
    sessionId: string,
    event: StoredEvent,
    size: number,
    limits: AppendLimits,
  ): Promise<number | null> {
    // The driver's own call: the event is already validated and typed, and
    // mongoose casting the update would cost more CPU than the rest of the
    // append in Node. updatedAt is therefore set here, not by the schema.
    const appended = await this.collection.findOneAndUpdate(
      appendFilter(sessionId, event.eventId, size, limits),
      appendUpdate(event, size),
      { returnDocument: 'after', projection: { _id: 0, eventCount: 1 } },
    );
    return appended?.eventCount ?? null;
  }

  /**
   * Moves an open session to a terminal status in one conditional update;
   * null when it is not open (or, with `notBefore`, started after it).
   */
  closeIfOpen(
    sessionId: string,
    update: Pick<Session, 'status' | 'endedAt'> & { failureReason?: string },
    notBefore?: Date,
  ): Promise<StoredSessionView | null> {
    return this.sessions
      .findOneAndUpdate(
        {
          sessionId,
          ...IS_OPEN,
          ...(notBefore ? { startedAt: { $lte: notBefore } } : {}),
        },
        { $set: update },
        { returnDocument: 'after', projection: SESSION_VIEW_PROJECTION },
      )
      .lean<StoredSessionView>()
      .exec();
  }

  /** Newest startedAt first, ties by sessionId, strictly after the cursor. */
  list(
    status: SessionStatus | undefined,
    cursor: SessionCursor | undefined,
    limit: number,
  ): Promise<StoredSessionView[]> {
    const filter: QueryFilter<Session> = status ? { status } : {};
    if (cursor) {
      filter.$or = [
        { startedAt: { $lt: cursor.startedAt } },
        { startedAt: cursor.startedAt, sessionId: { $gt: cursor.sessionId } },
      ];
    }
    return this.sessions
      .find(filter, SESSION_VIEW_PROJECTION)
      .sort({ startedAt: -1, sessionId: 1 })
      .limit(limit)
      .lean<StoredSessionView[]>()
      .exec();
  }
}
