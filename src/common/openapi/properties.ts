import type { ApiPropertyOptions } from '@nestjs/swagger';
import { ID_DESCRIPTION, ID_PATTERN, JSON_OBJECT_REF } from '../validation';

/** A caller-chosen id (sessionId, eventId), in a body, a path or a view. */
export function idProperty(description: string): ApiPropertyOptions {
  return {
    type: 'string',
    pattern: ID_PATTERN.source,
    maxLength: 128,
    description: `${description} ${ID_DESCRIPTION}.`,
  };
}

/** A date-time a client sends: any zone, normalised on the way in. */
export function dateTimeInput(description: string): ApiPropertyOptions {
  return {
    type: 'string',
    format: 'date-time',
    description: `${description} Any RFC 3339 date-time with a zone (Z or an offset); it is stored as an instant and read back in UTC with millisecond precision.`,
  };
}

/**
 * A date-time the service returns: always toISOString(), UTC with millisecond
 * precision. Said in words, not as a `pattern`: openapi-generator's Python
 * client applies a date-time's pattern to the parsed datetime and fails.
 */
export function dateTimeOutput(description: string): ApiPropertyOptions {
  return {
    type: 'string',
    format: 'date-time',
    description: `${description} UTC, millisecond precision.`,
    example: '2026-11-25T10:00:05.250Z',
  };
}

/** Free-form JSON: the one JsonObject schema, in requests and responses alike. */
export function jsonObjectProperty(description: string): ApiPropertyOptions {
  return { allOf: [{ $ref: JSON_OBJECT_REF }], description };
}
