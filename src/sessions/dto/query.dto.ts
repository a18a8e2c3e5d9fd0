import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { CURSOR_PATTERN } from '../cursor';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../rules/limits';
import { SESSION_STATUS_SCHEMA } from './views.dto';
import {
  SESSION_STATUSES,
  type SessionStatus,
} from '../schemas/session.schema';

const MAX_AFTER = 2_147_483_647;

/** Query strings arrive as text: only a plain decimal integer becomes a number. */
const toInteger = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value)
    ? Number(value)
    : value,
);

export class EventPageQuery {
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: 'Most items in the page.',
  })
  @IsOptional()
  @toInteger
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** Return events with seq greater than this. */
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 0,
    maximum: MAX_AFTER,
    default: 0,
  })
  @IsOptional()
  @toInteger
  @IsInt()
  @Min(0)
  @Max(MAX_AFTER)
  after: number = 0;
}

export class SessionListQuery {
  @ApiProperty({
    ...SESSION_STATUS_SCHEMA,
    required: false,
    description: 'Only sessions in this status.',
  })
  @IsOptional()
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: 'Most items in the page.',
  })
  @IsOptional()
  @toInteger
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** Opaque cursor from a previous page's `nextCursor`. */
  @ApiProperty({ required: false, pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(CURSOR_PATTERN, {
    message: 'cursor must be a nextCursor returned by this endpoint',
  })
  cursor?: string;
}
