import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import {
  CACHE_FINAL,
  CACHE_REVALIDATE,
  type Conditional,
  noneMatchHits,
} from './etag';

/**
 * Turns a read's Conditional into HTTP: ETag and Cache-Control on every
 * answer, and 304 without a body when If-None-Match names the current tag.
 */
@Injectable()
export class ConditionalReadInterceptor<T> implements NestInterceptor<
  Conditional<T>,
  T | undefined
> {
  intercept(
    context: ExecutionContext,
    next: CallHandler<Conditional<T>>,
  ): Observable<T | undefined> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    return next.handle().pipe(
      map(({ value, etag, final }) => {
        response.setHeader('ETag', etag);
        response.setHeader(
          'Cache-Control',
          final ? CACHE_FINAL : CACHE_REVALIDATE,
        );
        if (noneMatchHits(request.headers['if-none-match'], etag)) {
          response.status(HttpStatus.NOT_MODIFIED);
          return undefined;
        }
        return value;
      }),
    );
  }
}

/** Response headers of a conditional read's 200, for its OpenAPI description. */
export const CONDITIONAL_HEADERS = {
  ETag: {
    description:
      'Strong entity tag of this representation, derived from the stored state and the page asked for',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    description: `"${CACHE_FINAL}" once the representation can no longer change (closed session, stored event), else "${CACHE_REVALIDATE}"`,
    schema: { type: 'string' },
  },
};

/** A read answered through ConditionalReadInterceptor, with its OpenAPI description. */
export function ConditionalRead(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(ConditionalReadInterceptor),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description:
        'Entity tags from earlier answers (or *): when one is current, the answer is 304 without a body',
    }),
    ApiResponse({
      status: HttpStatus.NOT_MODIFIED,
      description: 'Not modified: If-None-Match names the current tag',
      headers: CONDITIONAL_HEADERS,
    }),
  );
}
