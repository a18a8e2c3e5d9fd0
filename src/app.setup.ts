import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

/** Options every instance of the app is created with, in production and in tests. */
export const APP_OPTIONS: NestApplicationOptions = {
  // JsonBodyMiddleware parses bodies with the configured limit.
  bodyParser: false,
  bufferLogs: true,
};

/** What must be set on the created application itself rather than in a module. */
export function setupApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Conversation Service')
      .setDescription(
        'Conversation sessions and their events. Creates and appends are idempotent on the caller-chosen sessionId and eventId; every error is application/problem+json.',
      )
      .setVersion('1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
