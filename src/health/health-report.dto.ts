import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';

@ApiSchema({ description: 'The state of one health indicator.' })
export class IndicatorState {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiProperty({ required: false, description: 'Why it is down.' })
  message?: string;
}

const UP = { database: { status: 'up' }, indexes: { status: 'up' } };

const indicators = (description: string, example: object) =>
  ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(IndicatorState) },
    description,
    example,
  });

@ApiSchema({ description: 'A passing health check, per indicator.' })
export class HealthReport {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @indicators('The indicators that are up.', UP)
  info: Record<string, IndicatorState>;

  @indicators('The indicators that are down: none when the check passes.', {})
  error: Record<string, IndicatorState>;

  @indicators('Every indicator.', UP)
  details: Record<string, IndicatorState>;
}
