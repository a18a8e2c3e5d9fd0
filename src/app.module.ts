import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import helmet from 'helmet';
import { LoggerModule } from 'nestjs-pino';
import { InFlightLimitMiddleware } from './common/in-flight-limit.middleware';
import { JsonBodyMiddleware } from './common/json-body.middleware';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation.pipe';
import { loggerOptions } from './common/logger.options';
import { type Env, validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsModule } from './metrics/metrics.module';
import { SecurityModule } from './security/security.module';
import { SessionsModule } from './sessions/sessions.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      validate: validateEnv,
    }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => loggerOptions(config),
    }),
    MetricsModule,
    SecurityModule,
    DatabaseModule,
    HealthModule,
    SessionsModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // First, so that a request over the cap costs nothing; probes and
    // scrapes are never shed.
    consumer
      .apply(InFlightLimitMiddleware)
      .exclude('health/*path', 'metrics')
      .forRoutes('*path');
    consumer
      .apply(helmet(), HttpMetricsMiddleware, JsonBodyMiddleware)
      .forRoutes('*path');
  }
}
