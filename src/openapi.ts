import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type LicenseObject,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { composeSchemas } from './common/openapi/composition';
import {
  closeRequestBodies,
  collapseSingleAllOf,
  declarePublicOperations,
  declareResponseHeaders,
  withJsonSchemaNulls,
} from './common/openapi/document';
import { RESPONSE_HEADERS } from './common/openapi/headers';
import { ID_DESCRIPTION, JSON_OBJECT_SCHEMAS } from './common/validation';

const DESCRIPTION = `Conversation sessions and their events.

- **Idempotent writes.** Creating a session and appending an event are idempotent on the caller-chosen \`sessionId\` and \`eventId\`: the first request answers 201 with \`Location\`; an identical repeat answers 200 with \`Idempotent-Replayed: true\` and writes nothing; a repeat with different content is a 409 problem.
- **Ids.** \`sessionId\` and \`eventId\` are chosen by the caller: ${ID_DESCRIPTION}. They are case-sensitive and returned exactly as sent.
- **Dates.** Requests may carry any RFC 3339 date-time with a zone (\`Z\` or an offset) and up to nanosecond digits; the service stores the instant and returns every date-time in UTC with millisecond precision (\`2026-11-25T10:00:05.250Z\`), further digits dropped.
- **Errors.** Every error is an RFC 9457 \`application/problem+json\` document with a stable \`code\` and the \`requestId\` also sent as the \`X-Request-Id\` header.
- **Keys.** When the service has API keys configured, every route but health and metrics needs one, as \`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`.`;

/**
 * The API's OpenAPI 3.1 document, as /docs and /docs-json serve it. It admits
 * exactly the requests the service accepts: 3.1 (JSON Schema 2020-12) so that
 * `propertyNames` can describe the keys of metadata and payloads, and
 * `additionalProperties: false` on request bodies because the validation pipe
 * refuses fields a DTO does not declare. Conventions: operationIds are the
 * route decorators' (else the handler's name), schema names carry no `Dto`.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Conversation Service')
      .setDescription(DESCRIPTION)
      .setVersion('1.0')
      .addServer(
        '/',
        'This service: paths are relative to where this document is served.',
      )
      .addTag('sessions', 'Conversation sessions and their events.')
      .addTag('health', 'Liveness and readiness probes; no API key needed.')
      .addTag('metrics', 'Prometheus metrics; no API key needed.')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque API key',
        description: 'An API key, as `Authorization: Bearer <key>`.',
      })
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'An API key, as `X-API-Key: <key>`.',
        },
        'X-API-Key',
      )
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('X-API-Key')
      .build(),
    { operationIdFactory: (_controller, method) => method },
  );
  // OpenAPI 3.1 names a licence by SPDX identifier (a LicenseRef- for one
  // that is not public); DocumentBuilder only knows 3.0's url.
  const license: LicenseObject & { identifier: string } = {
    name: 'Proprietary (package.json: UNLICENSED)',
    identifier: 'LicenseRef-Proprietary',
  };
  document.info.license = license;
  delete document.info.contact; // DocumentBuilder writes an empty one
  const components = (document.components ??= {});
  Object.assign((components.schemas ??= {}), JSON_OBJECT_SCHEMAS);
  components.headers = { ...RESPONSE_HEADERS };
  composeSchemas(components.schemas);
  closeRequestBodies(document);
  declareResponseHeaders(document);
  declarePublicOperations(document);
  collapseSingleAllOf(document);
  return withJsonSchemaNulls(document);
}
