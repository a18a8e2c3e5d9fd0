import {
  applyDecorators,
  HttpCode,
  HttpStatus,
  type Type,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  type HeaderObject,
  type ReferenceObject,
} from '@nestjs/swagger';
import type { ProblemCode } from '../problem-codes';
import { headerRef } from './headers';
import { ApiProblems } from './problems';

/**
 * What every route behind the global guards can answer besides its own
 * problems: bad parameters, a missing key, the rate limit, the database.
 */
export const GUARDED_ROUTE_PROBLEMS: readonly ProblemCode[] = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'SERVICE_OVERLOADED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL_ERROR',
];

/** What reading a JSON request body can answer (JsonBodyMiddleware). */
export const BODY_PROBLEMS: readonly ProblemCode[] = [
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

export interface OperationOptions {
  /** The operation's name in generated clients: lowerCamelCase, verb first (`appendEvent`). */
  operationId: string;
  summary: string;
  /** What the route does and guarantees, for client developers. */
  description: string;
  /** The route's own problems; the guards' ones are added. */
  problems?: ProblemCode[];
}

export interface ReadOptions extends OperationOptions {
  /** The 200 body. */
  type: Type<unknown>;
  /** What a 200 means. */
  ok: string;
  okHeaders?: Record<string, HeaderObject | ReferenceObject>;
}

export interface ActionOptions extends ReadOptions {
  /** The optional request body. */
  body: Type<unknown>;
}

export interface IdempotentWriteOptions extends OperationOptions {
  /** The resource, in the 201 and the 200 body alike. */
  type: Type<unknown>;
  /** What a 201 means. */
  created: string;
  /** What a 200 (a replay) means. */
  replayed: string;
  /** False when the write creates several resources: its 201 has no Location. */
  location?: boolean;
}

function guardedOperation(
  options: OperationOptions,
  ...implied: readonly ProblemCode[]
): MethodDecorator {
  const { operationId, summary, description, problems = [] } = options;
  return applyDecorators(
    ApiOperation({ operationId, summary, description }),
    ApiProblems(...GUARDED_ROUTE_PROBLEMS, ...implied, ...problems),
  );
}

/** A guarded read: 200 with `type`, or a problem. */
export function Read(options: ReadOptions): MethodDecorator {
  return applyDecorators(
    guardedOperation(options),
    ApiOkResponse({
      type: options.type,
      description: options.ok,
      headers: options.okHeaders,
    }),
  );
}

/** A guarded POST with an optional JSON body that answers 200 with `type`. */
export function Action(options: ActionOptions): MethodDecorator {
  return applyDecorators(
    HttpCode(HttpStatus.OK),
    guardedOperation(options, ...BODY_PROBLEMS),
    ApiBody({ type: options.body, required: false }),
    ApiOkResponse({ type: options.type, description: options.ok }),
  );
}

/**
 * The documentation of an idempotent write (its body is the handler's @Body()
 * type): 201 with Location when it created the resource, 200 with
 * Idempotent-Replayed when it matched an identical earlier request.
 */
export function ApiIdempotentWrite(
  options: IdempotentWriteOptions,
): MethodDecorator {
  return applyDecorators(
    guardedOperation(options, ...BODY_PROBLEMS),
    ApiCreatedResponse({
      type: options.type,
      description: options.created,
      headers:
        options.location === false
          ? undefined
          : { Location: headerRef('Location') },
    }),
    ApiOkResponse({
      type: options.type,
      description: options.replayed,
      headers: { 'Idempotent-Replayed': headerRef('Idempotent-Replayed') },
    }),
  );
}
