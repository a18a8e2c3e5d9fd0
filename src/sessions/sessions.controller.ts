import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Action, Read } from '../common/openapi/routes';
import { REQUEST_ID_PATTERN } from '../common/logger.options';
import { DatabaseReadyGuard } from '../database/database-ready.guard';
import { AppendEventDto } from './dto/append-event.dto';
import { AppendEventBatchDto } from './dto/append-event-batch.dto';
import { CompleteSessionDto, FailSessionDto } from './dto/close-session.dto';
import { CreateSessionDto } from './dto/create-session.dto';
import { EventParams, SessionParams } from './dto/params.dto';
import { EventPageQuery, SessionListQuery } from './dto/query.dto';
import {
  EventBatch,
  EventPage,
  EventView,
  SessionPage,
  SessionView,
  SessionWithEvents,
} from './dto/views.dto';
import { EventsService } from './events.service';
import { IdempotentWrite } from './idempotent-write.decorator';
import {
  CONDITIONAL_HEADERS,
  ConditionalRead,
} from './conditional-read.interceptor';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiHeader({
  name: 'X-Request-Id',
  required: false,
  description: `Your id for this request, echoed on the response when it matches ${REQUEST_ID_PATTERN.source}; a new one is generated otherwise.`,
})
@UseGuards(DatabaseReadyGuard)
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly events: EventsService,
  ) {}

  @Post()
  @IdempotentWrite({
    operationId: 'createSession',
    summary: 'Create a session (idempotent on sessionId)',
    description:
      'Creates the session in status `initiated`. Sending the same sessionId again with the same language (and the same metadata and startedAt instant, where given) returns the stored session (200, `Idempotent-Replayed: true`); with different values it is a SESSION_CONFLICT problem. Safe to retry after a timeout.',
    type: SessionView,
    created: 'The session was created.',
    replayed: 'An identical session already existed; nothing was written.',
    problems: ['SESSION_CONFLICT'],
  })
  create(@Body() dto: CreateSessionDto) {
    return this.sessions.create(dto);
  }

  @Get()
  @Read({
    operationId: 'listSessions',
    summary: 'List sessions, newest startedAt first',
    description:
      "Pages through sessions, optionally of one status, newest `startedAt` first. Pass the previous page's `nextCursor` as `cursor` for the next page; it is null on the last one.",
    type: SessionPage,
    ok: 'A page of sessions.',
  })
  list(@Query() query: SessionListQuery): Promise<SessionPage> {
    return this.sessions.list(query);
  }

  @Get(':sessionId')
  @ConditionalRead()
  @Read({
    operationId: 'getSession',
    summary: 'Get a session with a page of its events',
    description:
      'The session and one page of its events: oldest first after `after` (default: from the first), or newest first with `order=desc` before `before` (default: from the newest); at most `limit` of them. `nextAfter` (asc) or `nextBefore` (desc) continues the page through listEvents. Carries an ETag; If-None-Match with the current tag answers 304.',
    type: SessionWithEvents,
    ok: 'The session with a page of its events.',
    okHeaders: CONDITIONAL_HEADERS,
    problems: ['SESSION_NOT_FOUND'],
  })
  get(@Param() { sessionId }: SessionParams, @Query() page: EventPageQuery) {
    return this.sessions.get(sessionId, page);
  }

  @Get(':sessionId/events')
  @ConditionalRead()
  @Read({
    operationId: 'listEvents',
    summary: "Page through a session's events, oldest or newest first",
    description:
      'At most `limit` events: with seq greater than `after`, in ascending seq order (the default, `order=asc`; pass `nextAfter` as `after` for the next page), or with seq less than `before`, newest first (`order=desc`; pass `nextBefore` as `before`). The next-page value is null when no more events follow. `before` with asc, or `after` with desc, is a VALIDATION_FAILED problem. Carries an ETag; If-None-Match with the current tag answers 304; pages of a closed session are cacheable for long.',
    type: EventPage,
    ok: 'A page of events.',
    okHeaders: CONDITIONAL_HEADERS,
    problems: ['SESSION_NOT_FOUND'],
  })
  listEvents(
    @Param() { sessionId }: SessionParams,
    @Query() page: EventPageQuery,
  ) {
    return this.sessions.listEvents(sessionId, page);
  }

  @Get(':sessionId/events/:eventId')
  @ConditionalRead()
  @Read({
    operationId: 'getEvent',
    summary: 'Get one event',
    description:
      'The event with this eventId in the session, with its seq. A stored event never changes: it carries an ETag and a long Cache-Control.',
    type: EventView,
    ok: 'The event.',
    okHeaders: CONDITIONAL_HEADERS,
    problems: ['SESSION_NOT_FOUND', 'EVENT_NOT_FOUND'],
  })
  getEvent(@Param() { sessionId, eventId }: EventParams) {
    return this.sessions.getEvent(sessionId, eventId);
  }

  // The batch append's URL is also that of the event whose eventId is
  // "batch"; this route says so in the document, and reads that event.
  @Get(':sessionId/events/batch')
  @ConditionalRead()
  @Read({
    operationId: 'getEventNamedBatch',
    summary: 'Get the event whose eventId is "batch"',
    description:
      'The same read as getEvent, at the URL the batch append is posted to.',
    type: EventView,
    ok: 'The event.',
    okHeaders: CONDITIONAL_HEADERS,
    problems: ['SESSION_NOT_FOUND', 'EVENT_NOT_FOUND'],
  })
  getEventNamedBatch(@Param() { sessionId }: SessionParams) {
    return this.sessions.getEvent(sessionId, 'batch');
  }

  @Post(':sessionId/events')
  @IdempotentWrite({
    operationId: 'appendEvent',
    summary: 'Append an event (idempotent on eventId)',
    description:
      'Appends the event with the next seq and moves an `initiated` session to `active`. Sending the same eventId again with the same type, payload and timestamp instant returns the stored event (200, `Idempotent-Replayed: true`); with different content it is an EVENT_CONFLICT problem. A completed or failed session takes no events (SESSION_CLOSED), nor does a full one (SESSION_FULL). Safe to retry after a timeout.',
    type: EventView,
    created: 'The event was appended.',
    replayed: 'An identical event was already stored; nothing was written.',
    problems: [
      'SESSION_NOT_FOUND',
      'EVENT_CONFLICT',
      'SESSION_CLOSED',
      'SESSION_FULL',
    ],
  })
  appendEvent(
    @Param() { sessionId }: SessionParams,
    @Body() dto: AppendEventDto,
  ) {
    return this.events.appendEvent(sessionId, dto);
  }

  @Post(':sessionId/events/batch')
  @IdempotentWrite({
    operationId: 'appendEvents',
    summary: 'Append a batch of events (atomic; idempotent per eventId)',
    description:
      'Stores every new event of the batch, in request order with consecutive seq, or none. Events already stored identically are answered as stored (outcome `replayed`). 1 to MAX_BATCH_EVENTS events (default 500) with distinct eventIds; the body within MAX_BODY_BYTES. Safe to retry after a timeout.',
    type: EventBatch,
    created: 'At least one event of the batch was stored.',
    replayed:
      'Every event of the batch was already stored identically; nothing was written.',
    location: false,
    problems: [
      'SESSION_NOT_FOUND',
      'EVENT_CONFLICT',
      'SESSION_CLOSED',
      'SESSION_FULL',
    ],
  })
  appendEvents(
    @Param() { sessionId }: SessionParams,
    @Body() dto: AppendEventBatchDto,
  ) {
    return this.events.appendEvents(sessionId, dto);
  }

  @Post(':sessionId/complete')
  @Action({
    operationId: 'completeSession',
    summary: 'Complete a session (repeats return the stored result)',
    description:
      'Moves the session to `completed` and sets `endedAt` (default: now). Completing a completed session again returns it unchanged; a failed one is an INVALID_TRANSITION problem.',
    body: CompleteSessionDto,
    type: SessionView,
    ok: 'The completed session.',
    problems: [
      'SESSION_NOT_FOUND',
      'INVALID_TRANSITION',
      'ENDED_BEFORE_STARTED',
    ],
  })
  complete(
    @Param() { sessionId }: SessionParams,
    @Body() dto: CompleteSessionDto,
  ): Promise<SessionView> {
    return this.sessions.complete(sessionId, dto);
  }

  @Post(':sessionId/fail')
  @Action({
    operationId: 'failSession',
    summary: 'Mark a session failed (repeats return the stored result)',
    description:
      'Moves the session to `failed`, sets `endedAt` to now and keeps the optional `reason` as `failureReason`. Failing a failed session again returns it unchanged; a completed one is an INVALID_TRANSITION problem.',
    body: FailSessionDto,
    type: SessionView,
    ok: 'The failed session.',
    problems: ['SESSION_NOT_FOUND', 'INVALID_TRANSITION'],
  })
  fail(
    @Param() { sessionId }: SessionParams,
    @Body() dto: FailSessionDto,
  ): Promise<SessionView> {
    return this.sessions.fail(sessionId, dto);
  }
}
