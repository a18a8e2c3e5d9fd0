import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { dateTimeInput } from '../../common/openapi/properties';
import { IsOptionalNotNull } from '../../common/optional';
import { IsIsoDateTime, IsWellFormedString } from '../../common/validation';
import { MAX_FAILURE_REASON_LENGTH } from '../rules/limits';

@ApiSchema({ name: 'CompleteSessionRequest' })
export class CompleteSessionDto {
  @ApiPropertyOptional({
    ...dateTimeInput(
      "When the conversation ended, not before the session's startedAt; default: now.",
    ),
    example: '2026-11-25T10:05:00.000Z',
  })
  @IsOptionalNotNull()
  @IsIsoDateTime()
  endedAt?: string;
}

@ApiSchema({ name: 'FailSessionRequest' })
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
