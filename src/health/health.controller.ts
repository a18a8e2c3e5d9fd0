import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { Public } from '../security/public.decorator';

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
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live() {
    return this.health.check([]);
  }

  /** Ready to serve data: the database answers a ping and the indexes exist. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database is reachable (503 when not)',
  })
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
