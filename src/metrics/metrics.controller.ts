import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '../security/public.decorator';

/** Prometheus scrape endpoint: no API key, no rate limit. */
@ApiTags('metrics')
@Public()
@SkipThrottle()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'HTTP, write-outcome, database and process metrics in the Prometheus text exposition format, for a scraper.',
  })
  @ApiOkResponse({
    description: 'The current metrics.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  override index(@Res({ passthrough: true }) response: Response) {
    return super.index(response);
  }
}
