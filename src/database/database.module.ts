import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type { Env } from '../config/env.validation';
import { DatabaseDeadlineInterceptor } from './database-deadline.interceptor';
import { DatabaseLifecycle } from './database.lifecycle';
import { mongooseOptions } from './database.options';

@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        uri: config.getOrThrow('MONGODB_URI', { infer: true }),
        ...mongooseOptions(config),
        // Start even while the database is down; DatabaseLifecycle connects.
        lazyConnection: true,
      }),
    }),
  ],
  providers: [
    DatabaseLifecycle,
    { provide: APP_INTERCEPTOR, useClass: DatabaseDeadlineInterceptor },
  ],
  exports: [DatabaseLifecycle],
})
export class DatabaseModule {}
