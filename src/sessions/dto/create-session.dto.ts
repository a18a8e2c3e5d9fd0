import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import {
  dateTimeInput,
  idProperty,
  jsonObjectProperty,
} from '../../common/openapi/properties';
import { IsOptionalNotNull } from '../../common/optional';
import {
  ID_DESCRIPTION,
  ID_PATTERN,
  IsIsoDateTime,
  IsJsonObject,
} from '../../common/validation';
import { MAX_JSON_DEPTH, MAX_METADATA_BYTES } from '../rules/limits';

/**
 * BCP 47 (RFC 5646) tags with a 2-3 letter primary language: optional
 * extended language, script, region, variants, extensions and private use.
 */
const LANGUAGE_TAG =
  /^[A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-[0-9A-WY-Za-wy-z](-[A-Za-z0-9]{2,8})+)*(-x(-[A-Za-z0-9]{1,8})+)?$/;

@ApiSchema({ name: 'CreateSessionRequest' })
export class CreateSessionDto {
  @ApiProperty({
    ...idProperty('Caller-chosen id of the session.'),
    example: 'call-2026-11-25-0001',
  })
  @IsString()
  @Matches(ID_PATTERN, { message: `sessionId must be ${ID_DESCRIPTION}` })
  sessionId: string;

  /** BCP 47 language tag of the conversation. */
  @ApiProperty({
    example: 'en-US',
    maxLength: 35,
    pattern: LANGUAGE_TAG.source,
  })
  @IsString()
  @MaxLength(35)
  @Matches(LANGUAGE_TAG, {
    message: 'language must be a BCP 47 language tag such as en or en-US',
  })
  language: string;

  @ApiPropertyOptional({
    ...jsonObjectProperty(
      'Anything the caller wants kept with the session: a JSON object of at most 32 levels and 16 KiB of JSON. Default: {}.',
    ),
    example: { channel: 'phone', agent: 'support-bot' },
  })
  @IsOptionalNotNull()
  @IsJsonObject({ maxDepth: MAX_JSON_DEPTH, maxBytes: MAX_METADATA_BYTES })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    ...dateTimeInput('When the conversation started; default: now.'),
    example: '2026-11-25T10:00:00.000Z',
  })
  @IsOptionalNotNull()
  @IsIsoDateTime()
  startedAt?: string;
}
