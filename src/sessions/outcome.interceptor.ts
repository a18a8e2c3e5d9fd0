import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { locationOf, type Outcome } from './outcome';

/**
 * Turns an idempotent write's outcome into HTTP: 201 (with Location when the
 * outcome names the resource) when the request created it, 200 with
 * Idempotent-Replayed when it matched one stored before. The body is the
 * resource either way.
 */
@Injectable()
export class OutcomeInterceptor<T> implements NestInterceptor<Outcome<T>, T> {
  intercept(
    context: ExecutionContext,
    next: CallHandler<Outcome<T>>,
  ): Observable<T> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map(({ value, created, resource }) => {
        if (created) {
          response.status(HttpStatus.CREATED);
          if (resource) response.setHeader('Location', locationOf(resource));
        } else {
          response
            .status(HttpStatus.OK)
            .setHeader('Idempotent-Replayed', 'true');
        }
        return value;
      }),
    );
  }
}
