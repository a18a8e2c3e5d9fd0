import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { ApiKeys } from './api-keys';
import { IS_PUBLIC } from './public.decorator';

/** When API_KEYS is set, every route but the @Public() ones needs one of them. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.enabled) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    if (this.keys.identify(context.switchToHttp().getRequest<Request>()))
      return true;
    throw new ApiError(
      'UNAUTHORIZED',
      'A valid API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.',
    );
  }
}
