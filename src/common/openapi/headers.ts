import type { HeaderObject, ReferenceObject } from '@nestjs/swagger';
import { REQUEST_ID_PATTERN } from '../logger.options';

/**
 * The response headers the API sends, as reusable `components.headers`.
 * createOpenApiDocument() declares X-Request-Id on every response and
 * Retry-After on every 429 and 503, because the service sends them there.
 */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      "Id of this request in the service logs and in problem documents (`requestId`): the caller's X-Request-Id when it matches the pattern, else a new UUID.",
    required: true,
    schema: { type: 'string', pattern: REQUEST_ID_PATTERN.source },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  'Idempotent-Replayed': {
    description:
      'Present, and "true", when the request matched an identical earlier one: nothing was written and the stored resource is returned.',
    required: true,
    schema: { type: 'string', enum: ['true'] },
  },
  Location: {
    description: 'Path of the created resource, relative to the server.',
    required: true,
    schema: { type: 'string', format: 'uri-reference' },
  },
} satisfies Record<string, HeaderObject>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

/** A `$ref` to one of RESPONSE_HEADERS. */
export function headerRef(name: ResponseHeader): ReferenceObject {
  return { $ref: `#/components/headers/${name}` };
}
