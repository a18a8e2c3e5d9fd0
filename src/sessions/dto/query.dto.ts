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
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { CURSOR_PATTERN } from '../cursor';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../rules/limits';
import { SESSION_STATUS_SCHEMA } from './views.dto';
import { EVENT_ORDERS, type EventOrder } from '../rules/pages';
import {
  SESSION_STATUSES,
  type SessionStatus,
} from '../schemas/session.schema';

/** Largest seq a query may name. */
export const MAX_AFTER = 2_147_483_647;

/** Query strings arrive as text: only a plain decimal integer becomes a number. */
const toInteger = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value)
    ? Number(value)
    : value,
);

/** A position parameter that belongs to one order: `after` to oldest first, `before` to newest first. */
function OnlyWithOrder(order: EventOrder): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'onlyWithOrder',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          (args.object as EventPageQuery).order === order,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} is only allowed with order=${order}`,
      },
    });
}

export class EventPageQuery {
  /** asc: oldest first, paged with `after`; desc: newest first, paged with `before`. */
  @ApiProperty({
    required: false,
    enum: EVENT_ORDERS,
    default: 'asc',
    description:
      'asc: oldest first, continued with `after`/`nextAfter`; desc: newest first, continued with `before`/`nextBefore`.',
  })
  @IsOptional()
  @IsIn(EVENT_ORDERS)
  order: EventOrder = 'asc';

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

  /** Oldest first (order=asc only): return events with seq greater than this. */
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 0,
    maximum: MAX_AFTER,
    default: 0,
    description:
      'order=asc only: return events with seq greater than this (default 0).',
  })
  @IsOptional()
  @toInteger
  @IsInt()
  @Min(0)
  @Max(MAX_AFTER)
  @OnlyWithOrder('asc')
  after?: number;

  /** Newest first (order=desc only): return events with seq less than this. */
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: MAX_AFTER,
    description:
      'order=desc only: return events with seq less than this (default: from the newest event).',
  })
  @IsOptional()
  @toInteger
  @IsInt()
  @Min(1)
  @Max(MAX_AFTER)
  @OnlyWithOrder('desc')
  before?: number;
}

export class StreamQuery {
  /** Start after this seq; a Last-Event-ID header takes precedence. */
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 0,
    maximum: MAX_AFTER,
    default: 0,
    description:
      'Send the stored events with seq greater than this first (default 0). A Last-Event-ID header, as a reconnecting EventSource sends, takes precedence.',
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
