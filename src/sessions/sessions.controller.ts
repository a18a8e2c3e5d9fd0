import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
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
import { OutcomeInterceptor } from './outcome.interceptor';
import { ApiProblems, ProblemDocument } from './problem-responses';
import { SessionsService } from './sessions.service';

const REPLAYED = {
  'Idempotent-Replayed': {
    description: 'true: an identical earlier request was replayed',
    schema: { type: 'string' },
  },
};
const LOCATION = {
  Location: {
    description: 'Where the new resource lives',
    schema: { type: 'string' },
  },
};

@ApiTags('sessions')
@ApiBearerAuth()
@ApiSecurity('X-API-Key')
@ApiExtraModels(ProblemDocument)
@ApiHeader({
  name: 'X-Request-Id',
  required: false,
  description: 'Echoed on the response; generated when absent',
})
@UseGuards(DatabaseReadyGuard)
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly events: EventsService,
  ) {}

  @Post()
  @UseInterceptors(OutcomeInterceptor)
  @ApiOperation({ summary: 'Create a session (idempotent on sessionId)' })
  @ApiCreatedResponse({
    type: SessionView,
    description: 'Created',
    headers: LOCATION,
  })
  @ApiOkResponse({
    type: SessionView,
    description: 'Identical session already existed',
    headers: REPLAYED,
  })
  @ApiProblems(
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'SESSION_CONFLICT',
  )
  create(@Body() dto: CreateSessionDto) {
    return this.sessions.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List sessions, newest startedAt first' })
  @ApiOkResponse({ type: SessionPage })
  @ApiProblems()
  list(@Query() query: SessionListQuery): Promise<SessionPage> {
    return this.sessions.list(query);
  }

  @Get(':sessionId')
  @ApiOperation({ summary: 'Get a session with its first page of events' })
  @ApiOkResponse({ type: SessionWithEvents })
  @ApiProblems('SESSION_NOT_FOUND')
  get(
    @Param() { sessionId }: SessionParams,
    @Query() page: EventPageQuery,
  ): Promise<SessionWithEvents> {
    return this.sessions.get(sessionId, page);
  }

  @Get(':sessionId/events')
  @ApiOperation({ summary: "Page through a session's events in seq order" })
  @ApiOkResponse({ type: EventPage })
  @ApiProblems('SESSION_NOT_FOUND')
  listEvents(
    @Param() { sessionId }: SessionParams,
    @Query() page: EventPageQuery,
  ): Promise<EventPage> {
    return this.sessions.listEvents(sessionId, page);
  }

  @Get(':sessionId/events/:eventId')
  @ApiOperation({ summary: 'Get one event' })
  @ApiOkResponse({ type: EventView })
  @ApiProblems('SESSION_NOT_FOUND', 'EVENT_NOT_FOUND')
  getEvent(@Param() { sessionId, eventId }: EventParams): Promise<EventView> {
    return this.sessions.getEvent(sessionId, eventId);
  }

  // The batch append's URL is also that of the event whose eventId is
  // "batch"; this route says so in the document, and reads that event.
  @Get(':sessionId/events/batch')
  @ApiOperation({
    summary: 'Get the event whose eventId is "batch"',
    description:
      'The same read as GET /sessions/{sessionId}/events/{eventId}, at the URL the batch append is posted to.',
  })
  @ApiOkResponse({ type: EventView })
  @ApiProblems('SESSION_NOT_FOUND', 'EVENT_NOT_FOUND')
  getBatchNamedEvent(
    @Param() { sessionId }: SessionParams,
  ): Promise<EventView> {
    return this.sessions.getEvent(sessionId, 'batch');
  }

  @Post(':sessionId/events')
  @UseInterceptors(OutcomeInterceptor)
  @ApiOperation({ summary: 'Append an event (idempotent on eventId)' })
  @ApiCreatedResponse({
    type: EventView,
    description: 'Appended',
    headers: LOCATION,
  })
  @ApiOkResponse({
    type: EventView,
    description: 'Identical event already stored',
    headers: REPLAYED,
  })
  @ApiProblems(
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'SESSION_NOT_FOUND',
    'EVENT_CONFLICT',
    'SESSION_CLOSED',
    'SESSION_FULL',
  )
  appendEvent(
    @Param() { sessionId }: SessionParams,
    @Body() dto: AppendEventDto,
  ) {
    return this.events.appendEvent(sessionId, dto);
  }

  @Post(':sessionId/events/batch')
  @UseInterceptors(OutcomeInterceptor)
  @ApiOperation({
    summary: 'Append a batch of events (atomic; idempotent per eventId)',
    description:
      'Stores every new event of the batch, in request order with consecutive seq, or none. Events already stored identically are answered as stored (outcome `replayed`). 1 to MAX_BATCH_EVENTS events (default 500) with distinct eventIds; the body within MAX_BODY_BYTES.',
  })
  @ApiCreatedResponse({
    type: EventBatch,
    description: 'At least one event of the batch was stored',
  })
  @ApiOkResponse({
    type: EventBatch,
    description: 'Every event of the batch was already stored identically',
    headers: REPLAYED,
  })
  @ApiProblems(
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'SESSION_NOT_FOUND',
    'EVENT_CONFLICT',
    'SESSION_CLOSED',
    'SESSION_FULL',
  )
  appendEvents(
    @Param() { sessionId }: SessionParams,
    @Body() dto: AppendEventBatchDto,
  ) {
    return this.events.appendEvents(sessionId, dto);
  }

  @Post(':sessionId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Complete a session (repeats return the stored result)',
  })
  @ApiBody({ type: CompleteSessionDto, required: false })
  @ApiOkResponse({ type: SessionView })
  @ApiProblems(
    'MALFORMED_JSON',
    'UNSUPPORTED_MEDIA_TYPE',
    'SESSION_NOT_FOUND',
    'INVALID_TRANSITION',
    'ENDED_BEFORE_STARTED',
  )
  complete(
    @Param() { sessionId }: SessionParams,
    @Body() dto: CompleteSessionDto,
  ): Promise<SessionView> {
    return this.sessions.complete(sessionId, dto);
  }

  @Post(':sessionId/fail')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark a session failed (repeats return the stored result)',
  })
  @ApiBody({ type: FailSessionDto, required: false })
  @ApiOkResponse({ type: SessionView })
  @ApiProblems(
    'MALFORMED_JSON',
    'UNSUPPORTED_MEDIA_TYPE',
    'SESSION_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  fail(
    @Param() { sessionId }: SessionParams,
    @Body() dto: FailSessionDto,
  ): Promise<SessionView> {
    return this.sessions.fail(sessionId, dto);
  }
}
