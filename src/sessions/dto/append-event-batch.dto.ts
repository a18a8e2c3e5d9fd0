import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, ValidateNested } from 'class-validator';
import { DEFAULT_MAX_BATCH_EVENTS } from '../rules/limits';
import { AppendEventDto } from './append-event.dto';

@ApiSchema({ name: 'AppendEventBatch' })
export class AppendEventBatchDto {
  /**
   * 1 to MAX_BATCH_EVENTS events (default 500), each an append's body, with
   * distinct eventIds; stored together or not at all.
   */
  @ApiProperty({
    type: [AppendEventDto],
    minItems: 1,
    maxItems: DEFAULT_MAX_BATCH_EVENTS,
  })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => AppendEventDto)
  // ValidateNested would take an array element that is itself an array for a
  // nested list; as null it is refused at its index like any other non-object.
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((item: unknown) => (Array.isArray(item) ? null : item))
      : value,
  )
  events: AppendEventDto[];
}
