import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { headerRef, type ResponseHeader } from './headers';

/** Marks an operation that needs no API key; becomes `security: []`. */
export const PUBLIC_OPERATION = 'x-public';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function operationsOf(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((item) =>
    METHODS.map((method) => item[method as keyof typeof item]).filter(
      (operation): operation is OperationObject =>
        typeof operation === 'object' && operation !== null,
    ),
  );
}

/**
 * Request bodies admit no property their DTO does not declare, as the
 * validation pipe refuses them (`forbidNonWhitelisted`).
 */
export function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const operation of operationsOf(document)) {
    const body = operation.requestBody as
      { content?: Record<string, { schema?: { $ref?: string } }> } | undefined;
    for (const media of Object.values(body?.content ?? {})) {
      const name = media.schema?.$ref?.split('/').at(-1);
      const schema = name ? schemas[name] : undefined;
      if (schema && !('$ref' in schema)) schema.additionalProperties = false;
    }
  }
}

/**
 * The headers the service sets on responses whatever the route: X-Request-Id
 * on every one (the request logger), Retry-After on every 429 (the rate
 * limiter) and 503 (the problem filter).
 */
export function declareResponseHeaders(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response || '$ref' in response) continue;
      const names: ResponseHeader[] = ['X-Request-Id'];
      if (status === '429' || status === '503') names.push('Retry-After');
      const headers = (response.headers ??= {});
      for (const name of names) headers[name] ??= headerRef(name);
    }
  }
}

/** Operations marked PUBLIC_OPERATION override the document's security. */
export function declarePublicOperations(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    const marked = operation as OperationObject & Record<string, unknown>;
    if (marked[PUBLIC_OPERATION] === true) {
      delete marked[PUBLIC_OPERATION];
      operation.security = [];
    }
  }
}

/** Keywords that describe a schema without constraining it. */
const ANNOTATIONS = new Set([
  'description',
  'example',
  'examples',
  'default',
  'title',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/**
 * @nestjs/swagger wraps a property's `$ref` in a one-element `allOf` to give
 * it a description (and the CLI plugin adds `additionalProperties: true`, a
 * no-op): 3.1 allows annotations beside `$ref`, which generators read as the
 * referenced type itself.
 */
export function collapseSingleAllOf(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(collapseSingleAllOf);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema)) {
    if (key !== 'example' && key !== 'examples') collapseSingleAllOf(value);
  }
  const { allOf, additionalProperties, ...rest } = schema;
  if (
    Array.isArray(allOf) &&
    allOf.length === 1 &&
    typeof (allOf[0] as { $ref?: unknown }).$ref === 'string' &&
    (additionalProperties === undefined || additionalProperties === true) &&
    Object.keys(rest).every((key) => ANNOTATIONS.has(key))
  ) {
    delete schema.allOf;
    delete schema.additionalProperties;
    schema.$ref = (allOf[0] as { $ref: string }).$ref;
  }
}

/**
 * @nestjs/swagger writes OpenAPI 3.0's `nullable: true`, which 3.1 dropped:
 * rewrites it as a "null" type (or a `{ "type": "null" }` alternative).
 * Examples are values, not schemas, and are left alone.
 *
 * Each such schema also carries `x-nullable: true`: openapi-generator drops a
 * 3.1 "null" type when it merges an `allOf` (SessionWithEvents), and its
 * Python client then refuses an open session's `endedAt: null`; it keeps the
 * extension. Other tools ignore it.
 */
const NULLABLE_EXTENSION = 'x-nullable';

export function withJsonSchemaNulls<T>(node: T): T {
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
    schema[NULLABLE_EXTENSION] = true;
  }
  return node;
}
