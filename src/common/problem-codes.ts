import { HttpStatus } from '@nestjs/common';

/**
 * The catalogue of problems the API can answer with: a stable code, its HTTP
 * status and a short human title. Every error response is built from here.
 */
export const PROBLEMS = {
  VALIDATION_FAILED: {
    status: HttpStatus.BAD_REQUEST,
    title: 'Validation failed',
  },
  MALFORMED_JSON: {
    status: HttpStatus.BAD_REQUEST,
    title: 'Malformed JSON body',
  },
  UNAUTHORIZED: {
    status: HttpStatus.UNAUTHORIZED,
    title: 'Missing or invalid API key',
  },
  ROUTE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'No such route' },
  METHOD_NOT_ALLOWED: {
    status: HttpStatus.METHOD_NOT_ALLOWED,
    title: 'Method not allowed',
  },
  SESSION_NOT_FOUND: {
    status: HttpStatus.NOT_FOUND,
    title: 'Session not found',
  },
  EVENT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Event not found' },
  SESSION_CONFLICT: {
    status: HttpStatus.CONFLICT,
    title: 'Session already exists with different values',
  },
  EVENT_CONFLICT: {
    status: HttpStatus.CONFLICT,
    title: 'Event already exists with different content',
  },
  SESSION_CLOSED: { status: HttpStatus.CONFLICT, title: 'Session is closed' },
  SESSION_FULL: { status: HttpStatus.CONFLICT, title: 'Session is full' },
  INVALID_TRANSITION: {
    status: HttpStatus.CONFLICT,
    title: 'Invalid session status transition',
  },
  ENDED_BEFORE_STARTED: {
    status: HttpStatus.CONFLICT,
    title: "endedAt is before the session's startedAt",
  },
  PAYLOAD_TOO_LARGE: {
    status: HttpStatus.PAYLOAD_TOO_LARGE,
    title: 'Payload too large',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    title: 'Unsupported media type',
  },
  RATE_LIMITED: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    title: 'Too many requests',
  },
  SERVICE_OVERLOADED: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    title: 'Service overloaded',
  },
  TOO_MANY_STREAMS: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    title: 'Too many open event streams on this instance',
  },
  SHUTTING_DOWN: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    title: 'This instance is shutting down',
  },
  DATABASE_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    title: 'Database unavailable',
  },
  INTERNAL_ERROR: {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    title: 'Internal error',
  },
} as const satisfies Record<string, { status: HttpStatus; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

/** A URI that names the problem type (RFC 9457 `type`). */
export function problemType(code: ProblemCode): string {
  return `urn:problem-type:conversation-service:${code.toLowerCase().replaceAll('_', '-')}`;
}
