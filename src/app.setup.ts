import type { NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Env } from './config/env.validation';
import { createOpenApiDocument } from './openapi';

/** Options every instance of the app is created with, in production and in tests. */
export const APP_OPTIONS: NestApplicationOptions = {
  // JsonBodyMiddleware parses bodies with the configured limit.
  bodyParser: false,
  bufferLogs: true,
};

/** What must be set on the created application itself rather than in a module. */
export function setupApp<T extends NestExpressApplication>(app: T): T {
  const config = app.get(ConfigService<Env, true>);
  app.useLogger(app.get(Logger));
  // process.exit (not a re-raised signal) lets pino flush its last lines.
  app.enableShutdownHooks([], { useProcessExit: true });
  app.set('trust proxy', config.getOrThrow('TRUST_PROXY', { infer: true }));
  const server = app.getHttpServer();
  server.keepAliveTimeout = config.getOrThrow('HTTP_KEEP_ALIVE_TIMEOUT_MS', {
    infer: true,
  });
  server.headersTimeout = config.getOrThrow('HTTP_HEADERS_TIMEOUT_MS', {
    infer: true,
  });
  // Reads carry entity tags derived from the stored state (src/sessions/etag.ts);
  // Express would otherwise hash every body for a weak tag of its own.
  app.set('etag', false);
  // Helmet would remove the header Express adds to every response.
  app.disable('x-powered-by');
  const origins = (config.get('CORS_ORIGINS', { infer: true }) ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins });
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
