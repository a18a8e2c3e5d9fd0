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
import { CompleteSessionDto, FailSessionDto } from './dto/close-session.dto';
import { CreateSessionDto } from './dto/create-session.dto';
import { EventParams, SessionParams } from './dto/params.dto';
import { EventPageQuery, SessionListQuery } from './dto/query.dto';
import {
  EventPage,
  EventView,
  SessionPage,
  SessionView,
  SessionWithEvents,
} from './dto/views.dto';
import {
  CONDITIONAL_HEADERS,
  ConditionalRead,
} from './conditional-read.interceptor';
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
  constructor(private readonly sessions: SessionsService) {}

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
  @ConditionalRead()
  @ApiOperation({
    summary:
      'Get a session with one page of its events (oldest first, or newest first with order=desc)',
  })
  @ApiOkResponse({ type: SessionWithEvents, headers: CONDITIONAL_HEADERS })
  @ApiProblems('SESSION_NOT_FOUND')
  get(@Param() { sessionId }: SessionParams, @Query() page: EventPageQuery) {
    return this.sessions.get(sessionId, page);
  }

  @Get(':sessionId/events')
  @ConditionalRead()
  @ApiOperation({
    summary:
      "Page through a session's events: oldest first with after, or newest first with order=desc and before",
  })
  @ApiOkResponse({ type: EventPage, headers: CONDITIONAL_HEADERS })
  @ApiProblems('SESSION_NOT_FOUND')
  listEvents(
    @Param() { sessionId }: SessionParams,
    @Query() page: EventPageQuery,
  ) {
    return this.sessions.listEvents(sessionId, page);
  }

  @Get(':sessionId/events/:eventId')
  @ConditionalRead()
  @ApiOperation({ summary: 'Get one event' })
  @ApiOkResponse({ type: EventView, headers: CONDITIONAL_HEADERS })
  @ApiProblems('SESSION_NOT_FOUND', 'EVENT_NOT_FOUND')
  getEvent(@Param() { sessionId, eventId }: EventParams) {
    return this.sessions.getEvent(sessionId, eventId);
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
    return this.sessions.appendEvent(sessionId, dto);
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
