import { Controller, Get } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { Connection } from 'mongoose';
import type { Env } from '../config/env.validation';
import { DatabaseLifecycle } from '../database/database.lifecycle';
import { ApiProblems } from '../common/openapi/problems';
import { Public } from '../security/public.decorator';
import { HealthReport, IndicatorState } from './health-report.dto';

/**
 * Readiness answers well inside the request bound, so that a probe sees a
 * stalled database as "not ready" rather than as a probe timeout.
 */
const PING_TIMEOUT_MS = 1000;

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    ).unref(),
  );
}

@ApiTags('health')
@ApiExtraModels(IndicatorState)
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  private readonly pingTimeoutMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseLifecycle,
    @InjectConnection() private readonly connection: Connection,
    config: ConfigService<Env, true>,
  ) {
    const bound = config.getOrThrow('MONGODB_OPERATION_TIMEOUT_MS', {
      infer: true,
    });
    this.pingTimeoutMs = Math.min(PING_TIMEOUT_MS, Math.floor(bound / 2));
  }

  /** The process is up and serving HTTP; never depends on the database. */
  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process is up',
    description:
      'Answers 200 while the process serves HTTP, whatever the state of the database: restart the process only when this fails.',
  })
  @ApiOkResponse({ type: HealthReport, description: 'The process is up.' })
  live() {
    return this.health.check([]);
  }

  /** Ready to serve data: the database answers a ping and the indexes exist. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the database is reachable (503 when not)',
    description:
      'Answers 200 when the database answers a ping and the indexes exist, else a DATABASE_UNAVAILABLE problem (503): send no traffic until it passes.',
  })
  @ApiOkResponse({
    type: HealthReport,
    description: 'Ready: the database and the indexes are up.',
  })
  @ApiProblems('DATABASE_UNAVAILABLE')
  ready() {
    return this.health.check([
      () => this.pingDatabase(),
      () => {
        const indicator = this.indicators.check('indexes');
        return this.database.ready
          ? indicator.up()
          : indicator.down({ message: 'not built yet' });
      },
    ]);
  }

  /**
   * A real round trip. Terminus' mongoose indicator reads only the driver's
   * last known state, which lags an outage by a heartbeat.
   */
  private async pingDatabase() {
    const indicator = this.indicators.check('database');
    try {
      const db = this.connection.db;
      if (!db) throw new Error('not connected');
      await Promise.race([
        db.command({ ping: 1 }),
        timeout(this.pingTimeoutMs),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
