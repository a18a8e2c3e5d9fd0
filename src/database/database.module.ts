import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import type { Env } from '../config/env.validation';
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
  providers: [DatabaseLifecycle],
  exports: [DatabaseLifecycle],
})
export class DatabaseModule {}
