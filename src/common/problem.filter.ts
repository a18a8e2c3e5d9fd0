import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { METHODS } from 'node:http';
import {
  databaseFailure,
  type DatabaseFailure,
} from '../database/mongo-errors';
import { Metrics } from '../metrics/metrics';
import { ApiError, FieldError } from './api-error';
import { requestId as assignRequestId } from './logger.options';
import { PROBLEMS, ProblemCode, problemType } from './problem-codes';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_UNAVAILABLE = '1';

/**
 * A write that got a 503 may have been applied before the database failed
 * (its outcome is unknown); sending it again is safe because every create and
 * append is idempotent on its sessionId / eventId.
 */
const RETRY_IS_SAFE =
  'A create or append answered this way may or may not have been stored; retrying it unchanged is safe, because every write is idempotent.';

const DATABASE_FAILURE_DETAIL: Record<DatabaseFailure, string> = {
  timeout: `The database did not answer in time; retry shortly. ${RETRY_IS_SAFE}`,
  unavailable: `The database is unavailable; retry shortly. ${RETRY_IS_SAFE}`,
  contention: `The database kept reporting conflicting concurrent writes; retry shortly. ${RETRY_IS_SAFE}`,
};

interface Classified {
  code: ProblemCode;
  detail: string;
  errors?: FieldError[];
  /** Methods the path supports, for a 405's Allow header. */
  allow?: string[];
}

interface RouterLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods Express has routes for at this path (HEAD wherever GET is), read
 * from the application's router: empty when no route has this path at all.
 * Routes registered for every method are middleware (Nest mounts exact-path
 * middleware with app.all()), not handlers, and are skipped.
 */
function allowedMethods(request: Request): string[] {
  const router = (
    request.app as unknown as { router?: { stack?: RouterLayer[] } }
  ).router;
  const methods = new Set<string>();
  for (const layer of router?.stack ?? []) {
    if (!layer.route || !layer.match(request.path)) continue;
    const routed = Object.keys(layer.route.methods).filter(
      (method) => method !== '_all' && layer.route!.methods[method],
    );
    if (layer.route.methods._all || routed.length >= METHODS.length) continue;
    for (const method of routed) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

const CODE_BY_STATUS: Partial<Record<number, ProblemCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message);
}

/** Health checks report which indicators are down under `error`. */
function unavailableDetail(exception: HttpException): string {
  const response = exception.getResponse();
  const down =
    typeof response === 'object' && response !== null && 'error' in response
      ? Object.keys(response.error as object)
      : [];
  return down.length > 0
    ? `Not ready: ${down.join(', ')} down.`
    : 'Service unavailable.';
}

/**
 * The single mapping point from anything thrown to an RFC 9457 problem
 * document. Driver messages and stacks never reach the client; unexpected
 * errors are logged with the request id that the client also receives.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  constructor(private readonly metrics: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { code, detail, errors, allow } = this.classify(exception, request);
    const { title } = PROBLEMS[code];
    const status: number = PROBLEMS[code].status;
    // Set by the request logger for every request, from X-Request-Id or new;
    // assigned here when the request failed before the logger ran (e.g. a path
    // that is not valid percent-encoding fails in the router).
    const requestId =
      String(response.getHeader('x-request-id') ?? '') ||
      assignRequestId(request, response);

    if (code === 'DATABASE_UNAVAILABLE') this.metrics.databaseError();
    if (status >= 500) {
      const level = status === 503 ? 'warn' : 'error';
      this.logger[level]({ err: exception, requestId }, `${code}: ${detail}`);
    }
    if (response.headersSent) return;
    if (status === 503)
      response.setHeader('Retry-After', RETRY_AFTER_UNAVAILABLE);
    if (allow) response.setHeader('Allow', allow.join(', '));
    response
      .status(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType(code),
          title,
          status,
          detail,
          instance: request.originalUrl?.split('?')[0] ?? request.url,
          code,
          requestId,
          ...(errors ? { errors } : {}),
        }),
      );
  }

  private classify(exception: unknown, request: Request): Classified {
    if (exception instanceof ApiError) {
      return {
        code: exception.code,
        detail: exception.detail,
        errors: exception.errors,
      };
    }
    if (exception instanceof HttpException) {
      const status: number = exception.getStatus();
      const code = CODE_BY_STATUS[status];
      if (code === 'ROUTE_NOT_FOUND') {
        const allow = allowedMethods(request);
        if (allow.length > 0) {
          return {
            code: 'METHOD_NOT_ALLOWED',
            detail: `${request.method} is not supported on ${request.path}; use ${allow.join(', ')}.`,
            allow,
          };
        }
        return {
          code,
          detail: `No route for ${request.method} ${request.path}`,
        };
      }
      if (code) return { code, detail: httpExceptionDetail(exception) };
      if (status === 503) {
        return {
          code: 'DATABASE_UNAVAILABLE',
          detail: unavailableDetail(exception),
        };
      }
    }
    const failure = databaseFailure(exception);
    if (failure) {
      return {
        code: 'DATABASE_UNAVAILABLE',
        detail: DATABASE_FAILURE_DETAIL[failure],
      };
    }
    return { code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred.' };
  }
}
