import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import {
  ID_DESCRIPTION,
  ID_PATTERN,
  IsIsoDateTime,
  IsJsonObject,
  JSON_OBJECT_REF,
} from '../../common/validation';
import { EVENT_TYPES, type EventType } from '../schemas/session.schema';
import { MAX_JSON_DEPTH } from '../rules/limits';

export class AppendEventDto {
  /** Caller-chosen id of the event, unique within its session. */
  @ApiProperty({
    example: 'evt-0001',
    pattern: ID_PATTERN.source,
    maxLength: 128,
  })
  @IsString()
  @Matches(ID_PATTERN, { message: `eventId must be ${ID_DESCRIPTION}` })
  eventId: string;

  @ApiProperty({ enum: EVENT_TYPES, example: 'user_speech' })
  @IsIn(EVENT_TYPES)
  type: EventType;

  /** Free-form JSON object (at most MAX_EVENT_PAYLOAD_BYTES, 32 levels). */
  @ApiProperty({
    allOf: [{ $ref: JSON_OBJECT_REF }],
    example: { text: 'I would like to change my booking.' },
  })
  @IsJsonObject({ maxDepth: MAX_JSON_DEPTH })
  payload: Record<string, unknown>;

  /** When the event happened, on the caller's clock (ISO 8601 with time zone). */
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:05.250Z' })
  @IsIsoDateTime()
  timestamp: string;
}
