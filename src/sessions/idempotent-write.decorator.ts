import { applyDecorators, UseInterceptors } from '@nestjs/common';
import {
  ApiIdempotentWrite,
  type IdempotentWriteOptions,
} from '../common/openapi/routes';
import { OutcomeInterceptor } from './outcome.interceptor';

/**
 * An idempotent write: the handler returns an Outcome, answered as 201 with
 * Location (created) or 200 with Idempotent-Replayed (replayed), and
 * documented so, with the route's problems.
 */
export function IdempotentWrite(
  options: IdempotentWriteOptions,
): MethodDecorator {
  return applyDecorators(
    UseInterceptors(OutcomeInterceptor),
    ApiIdempotentWrite(options),
  );
}
