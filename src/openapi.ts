import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { JSON_OBJECT_SCHEMAS } from './common/validation';

/**
 * The API's OpenAPI 3.1 document, as /docs and /docs-json serve it. It admits
 * exactly the requests the service accepts: 3.1 (JSON Schema 2020-12) so that
 * `propertyNames` can describe the keys of metadata and payloads, and
 * `additionalProperties: false` on request bodies because the validation pipe
 * refuses fields a DTO does not declare.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Conversation Service')
      .setDescription(
        'Conversation sessions and their events. Creates and appends are idempotent on the caller-chosen sessionId and eventId; every error is application/problem+json.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .addApiKey(
        { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        'X-API-Key',
      )
      .build(),
  );
  const schemas = ((document.components ??= {}).schemas ??= {});
  Object.assign(schemas, JSON_OBJECT_SCHEMAS);
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as unknown[]) {
      const body = (operation as { requestBody?: RequestBody } | undefined)
        ?.requestBody;
      for (const media of Object.values(body?.content ?? {})) {
        const name = media.schema?.$ref?.split('/').at(-1);
        const schema = name ? schemas[name] : undefined;
        if (schema && !('$ref' in schema)) schema.additionalProperties = false;
      }
    }
  }
  return withJsonSchemaNulls(document);
}

interface RequestBody {
  content?: Record<string, { schema?: { $ref?: string } }>;
}

/**
 * @nestjs/swagger writes OpenAPI 3.0's `nullable: true`, which 3.1 dropped:
 * rewrites it as a "null" type (or a `{ "type": "null" }` alternative).
 * Examples are values, not schemas, and are left alone.
 */
function withJsonSchemaNulls<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(withJsonSchemaNulls);
    return node;
  }
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema)) {
    if (key !== 'example' && key !== 'examples') withJsonSchemaNulls(value);
  }
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === 'string') {
      schema.type = [schema.type, 'null'];
    } else {
      const rest = { ...schema };
      for (const key of Object.keys(schema)) delete schema[key];
      schema.anyOf = [rest, { type: 'null' }];
    }
  }
  return node;
}
