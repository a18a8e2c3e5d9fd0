import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import {
  dateTimeInput,
  idProperty,
  jsonObjectProperty,
} from '../../common/openapi/properties';
import {
  ID_DESCRIPTION,
  ID_PATTERN,
  IsIsoDateTime,
  IsJsonObject,
} from '../../common/validation';
import { EVENT_TYPES, type EventType } from '../schemas/session.schema';
import { MAX_JSON_DEPTH } from '../rules/limits';
import { EVENT_TYPE_SCHEMA } from './views.dto';

@ApiSchema({ name: 'AppendEventRequest' })
export class AppendEventDto {
  @ApiProperty({
    ...idProperty('Caller-chosen id of the event, unique within its session.'),
    example: 'evt-0001',
  })
  @IsString()
  @Matches(ID_PATTERN, { message: `eventId must be ${ID_DESCRIPTION}` })
  eventId: string;

  @ApiProperty({ ...EVENT_TYPE_SCHEMA, example: 'user_speech' })
  @IsIn(EVENT_TYPES)
  type: EventType;

  @ApiProperty({
    ...jsonObjectProperty(
      "The event's content: a JSON object of at most 32 levels and MAX_EVENT_PAYLOAD_BYTES (default 64 KiB) of JSON.",
    ),
    example: { text: 'I would like to change my booking.' },
  })
  @IsJsonObject({ maxDepth: MAX_JSON_DEPTH })
  payload: Record<string, unknown>;

  @ApiProperty({
    ...dateTimeInput("When the event happened, on the caller's clock."),
    example: '2026-11-25T10:00:05.250Z',
  })
  @IsIsoDateTime()
  timestamp: string;
}
