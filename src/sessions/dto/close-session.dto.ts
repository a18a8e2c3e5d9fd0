import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional';
import { IsIsoDateTime, IsWellFormedString } from '../../common/validation';
import { MAX_FAILURE_REASON_LENGTH } from '../rules/limits';

export class CompleteSessionDto {
  /** When the conversation ended (ISO 8601 with time zone, not before startedAt); default: now. */
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-25T10:05:00.000Z',
  })
  @IsOptionalNotNull()
  @IsIsoDateTime()
  endedAt?: string;
}

export class FailSessionDto {
  /** Why the conversation failed (at most 1024 characters). */
  @ApiPropertyOptional({
    maxLength: MAX_FAILURE_REASON_LENGTH,
    example: 'caller hung up',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_FAILURE_REASON_LENGTH)
  @IsWellFormedString()
  reason?: string;
}
