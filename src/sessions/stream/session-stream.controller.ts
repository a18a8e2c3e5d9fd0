import {
  Controller,
  Get,
  Param,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '../../common/openapi/problems';
import { GUARDED_ROUTE_PROBLEMS } from '../../common/openapi/routes';
import { REQUEST_ID_PATTERN } from '../../common/logger.options';
import type { Request, Response } from 'express';
import { DatabaseReadyGuard } from '../../database/database-ready.guard';
import { SessionParams } from '../dto/params.dto';
import { StreamQuery } from '../dto/query.dto';
import { SessionStreams } from './session-streams.service';

const STREAM_DESCRIPTION = [
  'Server-Sent Events. First the stored events with seq greater than Last-Event-ID (or `after`), then each new event as any instance stores it, once each and in seq order:',
  '`id: <seq>`, `event: event`, `data: <EventView JSON>`.',
  'Once the session is completed or failed and every event was sent: `event: end`, `data: <SessionView JSON>`, and the stream closes.',
  'The stream starts with `retry: 1000` (reconnect after 1 s). A comment line is sent every STREAM_HEARTBEAT_MS (15 s by default). On shutdown, or when the database fails for STREAM_STALL_TIMEOUT_MS, the stream closes without `end`: reconnect with Last-Event-ID.',
].join(' ');

/**
 * The live tail. Written on the raw response (@Res), so that no interceptor
 * or serializer stands between the events and the socket.
 */
@ApiTags('sessions')
@ApiHeader({
  name: 'X-Request-Id',
  required: false,
  description: `Your id for this request, echoed on the response when it matches ${REQUEST_ID_PATTERN.source}; a new one is generated otherwise.`,
})
@UseGuards(DatabaseReadyGuard)
@Controller('sessions')
export class SessionStreamController {
  constructor(private readonly streams: SessionStreams) {}

  @Get(':sessionId/stream')
  @ApiOperation({
    operationId: 'streamEvents',
    summary: "Follow a session's events live",
    description: STREAM_DESCRIPTION,
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'The id (seq) of the last event received: the stream resumes after it. Takes precedence over `after`.',
    schema: { type: 'string', pattern: '^[0-9]{1,10}$' },
  })
  @ApiOkResponse({
    description:
      'The event stream: catch-up first, then live events, then `end` once the session is closed.',
    content: {
      'text/event-stream': {
        // Each server-sent event, as an SSE parser delivers it.
        schema: {
          type: 'object',
          required: ['data'],
          properties: {
            event: {
              type: 'string',
              enum: ['event', 'end'],
              description:
                '`event`: data is an EventView; `end`: data is the closed SessionView.',
            },
            id: {
              type: 'string',
              pattern: '^[0-9]+$',
              description: 'The seq of the event (on `event` only).',
            },
            data: {
              type: 'string',
              description: 'The JSON of the EventView or SessionView.',
            },
            retry: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    headers: {
      'Cache-Control': { description: 'no-cache', schema: { type: 'string' } },
      'X-Accel-Buffering': {
        description: 'no: proxies must not buffer the stream',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblems(
    ...GUARDED_ROUTE_PROBLEMS,
    'SESSION_NOT_FOUND',
    'TOO_MANY_STREAMS',
    'SHUTTING_DOWN',
  )
  stream(
    @Param() { sessionId }: SessionParams,
    @Query() { after }: StreamQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.streams.open(
      sessionId,
      after,
      request.headers['last-event-id'],
      response,
    );
  }
}
