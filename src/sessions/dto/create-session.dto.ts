import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional';
import {
  ID_DESCRIPTION,
  ID_PATTERN,
  IsIsoDateTime,
  IsJsonObject,
  JSON_OBJECT_REF,
} from '../../common/validation';
import { MAX_JSON_DEPTH, MAX_METADATA_BYTES } from '../rules/limits';

/**
 * BCP 47 (RFC 5646) tags with a 2-3 letter primary language: optional
 * extended language, script, region, variants, extensions and private use.
 */
const LANGUAGE_TAG =
  /^[A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-[0-9A-WY-Za-wy-z](-[A-Za-z0-9]{2,8})+)*(-x(-[A-Za-z0-9]{1,8})+)?$/;

export class CreateSessionDto {
  /** Caller-chosen id of the session. */
  @ApiProperty({
    example: 'call-2026-11-25-0001',
    pattern: ID_PATTERN.source,
    maxLength: 128,
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

  /** Free-form JSON object (at most 16 KiB, 32 levels). */
  @ApiPropertyOptional({
    allOf: [{ $ref: JSON_OBJECT_REF }],
    example: { channel: 'phone', agent: 'support-bot' },
  })
  @IsOptionalNotNull()
  @IsJsonObject({ maxDepth: MAX_JSON_DEPTH, maxBytes: MAX_METADATA_BYTES })
  metadata?: Record<string, unknown>;

  /** When the conversation started (ISO 8601 with time zone); default: now. */
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-25T10:00:00.000Z',
  })
  @IsOptionalNotNull()
  @IsIsoDateTime()
  startedAt?: string;
}
