import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { ApiComposedOf } from '../../common/openapi/composition';
import {
  dateTimeOutput,
  idProperty,
  jsonObjectProperty,
} from '../../common/openapi/properties';
import {
  EVENT_TYPES,
  type EventType,
  SESSION_STATUSES,
  type SessionStatus,
} from '../schemas/session.schema';

/** The named enum schemas, referenced wherever a status or an event type appears. */
export const SESSION_STATUS_SCHEMA = {
  enum: SESSION_STATUSES,
  enumName: 'SessionStatus',
};
export const EVENT_TYPE_SCHEMA = { enum: EVENT_TYPES, enumName: 'EventType' };

export class EventView {
  @ApiProperty({ ...idProperty('The event.'), example: 'evt-0001' })
  eventId: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 1,
    description:
      'Position of the event in its session: 1, 2, 3... in append order, without gaps.',
  })
  seq: number;

  @ApiProperty(EVENT_TYPE_SCHEMA)
  type: EventType;

  @ApiProperty(jsonObjectProperty('The event content, as appended.'))
  payload: Record<string, unknown>;

  @ApiProperty(dateTimeOutput("The caller's time of the event."))
  timestamp: string;

  @ApiProperty(dateTimeOutput("The server's time of storage."))
  receivedAt: string;
}

export const EVENT_OUTCOMES = ['created', 'replayed'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** An event of a batch append: as stored, and whether this request stored it. */
export class BatchEventView extends EventView {
  /** `created`: stored by this request; `replayed`: stored before, identical. */
  @ApiProperty({ enum: EVENT_OUTCOMES })
  outcome: EventOutcome;
}

export class EventBatch {
  /** The batch's events in request order. */
  @ApiProperty({ type: [BatchEventView] })
  events: BatchEventView[];
}

export class SessionView {
  @ApiProperty({
    ...idProperty('The session.'),
    example: 'call-2026-11-25-0001',
  })
  sessionId: string;

  @ApiProperty(SESSION_STATUS_SCHEMA)
  status: SessionStatus;

  @ApiProperty({ example: 'en-US', description: 'BCP 47 language tag.' })
  language: string;

  @ApiProperty(
    jsonObjectProperty("The session's metadata, as created ({} when none)."),
  )
  metadata: Record<string, unknown>;

  @ApiProperty(dateTimeOutput('When the conversation started.'))
  startedAt: string;

  @ApiProperty({
    ...dateTimeOutput('When the conversation ended; null while it is open.'),
    nullable: true,
  })
  endedAt: string | null;

  @ApiProperty({
    required: false,
    description: 'Why the session failed; present only on failed sessions.',
  })
  failureReason?: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Number of events stored.',
  })
  eventCount: number;

  @ApiProperty(dateTimeOutput('When the session was created.'))
  createdAt: string;

  @ApiProperty(dateTimeOutput('When the session last changed.'))
  updatedAt: string;
}

export class EventPage {
  @ApiProperty({
    type: [EventView],
    description:
      'Events in seq order: ascending, or descending with order=desc.',
  })
  events: EventView[];

  /** order=asc pages: the `after` value for the next page, or null when no more events follow. */
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    nullable: true,
    required: false,
    description:
      'In order=asc pages (the default): the `after` of the next page, or null when no newer events follow.',
  })
  nextAfter?: number | null;

  /** order=desc pages: the `before` value for the next page, or null when no older events remain. */
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    nullable: true,
    required: false,
    description:
      'In order=desc pages: the `before` of the next page (the oldest seq returned), or null when no older events remain.',
  })
  nextBefore?: number | null;
}

/** A session with a page of its events. */
@ApiComposedOf(SessionView, EventPage)
export class SessionWithEvents extends IntersectionType(
  SessionView,
  EventPage,
) {}

export class SessionPage {
  @ApiProperty({
    type: [SessionView],
    description: 'Sessions, newest startedAt first.',
  })
  sessions: SessionView[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Pass as `cursor` to get the next page; null on the last page.',
  })
  nextCursor: string | null;
}
