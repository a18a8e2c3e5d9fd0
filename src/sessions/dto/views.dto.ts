import { ApiProperty } from '@nestjs/swagger';
import {
  EVENT_TYPES,
  type EventType,
  SESSION_STATUSES,
  type SessionStatus,
} from '../schemas/session.schema';

export class EventView {
  @ApiProperty({ example: 'evt-0001' })
  eventId: string;

  /** Position of the event in its session: 1, 2, 3... in append order, without gaps. */
  @ApiProperty({ minimum: 1, example: 1 })
  seq: number;

  @ApiProperty({ enum: EVENT_TYPES })
  type: EventType;

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload: Record<string, unknown>;

  /** The caller's time of the event. */
  @ApiProperty({ format: 'date-time' })
  timestamp: string;

  /** The server's time of storage. */
  @ApiProperty({ format: 'date-time' })
  receivedAt: string;
}

export class SessionView {
  @ApiProperty({ example: 'call-2026-11-25-0001' })
  sessionId: string;

  @ApiProperty({ enum: SESSION_STATUSES })
  status: SessionStatus;

  @ApiProperty({ example: 'en-US' })
  language: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ format: 'date-time', type: 'string', nullable: true })
  endedAt: string | null;

  @ApiProperty({ required: false })
  failureReason?: string;

  @ApiProperty({ minimum: 0 })
  eventCount: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class EventPage {
  @ApiProperty({ type: [EventView] })
  events: EventView[];

  /** order=asc pages: the `after` value for the next page, or null when no more events follow. */
  @ApiProperty({
    type: 'integer',
    nullable: true,
    required: false,
    description:
      'In order=asc pages: the `after` of the next page, or null when no newer events follow.',
  })
  nextAfter?: number | null;

  /** order=desc pages: the `before` value for the next page, or null when no older events remain. */
  @ApiProperty({
    type: 'integer',
    nullable: true,
    required: false,
    description:
      'In order=desc pages: the `before` of the next page (the oldest seq returned), or null when no older events remain.',
  })
  nextBefore?: number | null;
}

export class SessionWithEvents extends SessionView {
  @ApiProperty({ type: [EventView] })
  events: EventView[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    required: false,
    description:
      'In order=asc pages: the `after` of the next page, or null when no newer events follow.',
  })
  nextAfter?: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    required: false,
    description:
      'In order=desc pages: the `before` of the next page (the oldest seq returned), or null when no older events remain.',
  })
  nextBefore?: number | null;
}

export class SessionPage {
  @ApiProperty({ type: [SessionView] })
  sessions: SessionView[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
