import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { AppModule } from './app.module';
import { APP_OPTIONS, setupApp } from './app.setup';
import type { Env } from './config/env.validation';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, APP_OPTIONS);
  setupApp(app);
  await app.listen(
    app.get(ConfigService<Env, true>).getOrThrow('PORT', { infer: true }),
  );
}

void bootstrap();
