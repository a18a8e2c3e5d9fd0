import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Env } from '../config/env.validation';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeys } from './api-keys';
import { RateLimitGuard } from './rate-limit.guard';
import { SlidingWindowStorage } from './rate-limit.storage';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const limit = config.getOrThrow('RATE_LIMIT_MAX', { infer: true });
        return {
          throttlers: [
            {
              ttl: config.getOrThrow('RATE_LIMIT_TTL_MS', { infer: true }),
              limit,
            },
          ],
          skipIf: () => limit === 0,
          storage: new SlidingWindowStorage(),
        };
      },
    }),
  ],
  providers: [
    ApiKeys,
    // Rate limiting runs first, so that guessing keys is limited too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiKeys],
})
export class SecurityModule {}
