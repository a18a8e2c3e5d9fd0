import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { ApiKeys } from './api-keys';

/**
 * Rate limits per API key when the request carries a valid one, else per
 * client address (so that inventing keys gains nothing).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly keys: ApiKeys,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Request): Promise<string> {
    const key = this.keys.identify(request);
    return key ? `key:${key}` : `ip:${request.ip ?? 'unknown'}`;
  }

  /** The library hashes this key on every request; it is short and plain already. */
  protected override generateKey(
    context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${context.getClass().name}-${context.getHandler().name}-${throttlerName}-${tracker}`;
  }
}
