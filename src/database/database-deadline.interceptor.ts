import {
  CallHandler,
  Injectable,
  NestInterceptor,
  type ExecutionContext,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Env } from '../config/env.validation';
import { withDeadline } from './deadline';

/**
 * Bounds every route's work by MONGODB_OPERATION_TIMEOUT_MS: a stalled
 * database is answered 503 DATABASE_UNAVAILABLE when the bound passes, instead
 * of holding the request (and its memory) for as long as the stall lasts.
 */
@Injectable()
export class DatabaseDeadlineInterceptor implements NestInterceptor {
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.timeoutMs = config.getOrThrow('MONGODB_OPERATION_TIMEOUT_MS', {
      infer: true,
    });
  }

  intercept(_: ExecutionContext, next: CallHandler): Observable<unknown> {
    // A route answers one value; handle() runs inside the deadline's context.
    return from(
      withDeadline(this.timeoutMs, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
