import type { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Env } from '../config/env.validation';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeys } from './api-keys';
import { Public } from './public.decorator';

class Routes {
  data(this: void): void {}
  @Public()
  health(this: void): void {}
}

@Public()
class PublicRoutes {
  metrics(this: void): void {}
}

function keysFor(apiKeys: string | undefined): ApiKeys {
  return new ApiKeys(
    new ConfigService<Env, true>(
      apiKeys === undefined ? {} : { API_KEYS: apiKeys },
    ),
  );
}

function contextFor(
  headers: Record<string, string>,
  handler: () => void = Routes.prototype.data,
  type: object = Routes,
): ExecutionContext {
  const request = { headers } as unknown as Request;
  return {
    getHandler: () => handler,
    getClass: () => type,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('ApiKeyGuard', () => {
  const guardFor = (apiKeys: string | undefined) =>
    new ApiKeyGuard(keysFor(apiKeys), new Reflector());

  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['only separators', ' , '],
  ])('lets every request through when API_KEYS is %s', (_, apiKeys) => {
    expect(guardFor(apiKeys).canActivate(contextFor({}))).toBe(true);
  });

  describe('with API_KEYS set', () => {
    const guard = guardFor('key-alpha, key-beta');

    it.each([
      ['a bearer token', { authorization: 'Bearer key-alpha' }],
      ['a lower-case scheme', { authorization: 'bearer key-beta' }],
      ['an X-API-Key', { 'x-api-key': 'key-beta' }],
    ])('accepts a configured key as %s', (_, headers) => {
      expect(guard.canActivate(contextFor(headers))).toBe(true);
    });

    it.each([
      ['no key', {}],
      ['a wrong bearer key', { authorization: 'Bearer nope' }],
      ['a prefix of a key', { 'x-api-key': 'key-alph' }],
      ['another scheme', { authorization: 'Basic key-alpha' }],
      ['an empty X-API-Key', { 'x-api-key': '' }],
    ])('refuses %s with UNAUTHORIZED', (_, headers) => {
      expect(() => guard.canActivate(contextFor(headers))).toThrow(
        expect.objectContaining({ code: 'UNAUTHORIZED' }) as Error,
      );
    });

    it('lets @Public() handlers and controllers through without a key', () => {
      expect(guard.canActivate(contextFor({}, Routes.prototype.health))).toBe(
        true,
      );
      expect(
        guard.canActivate(
          contextFor({}, PublicRoutes.prototype.metrics, PublicRoutes),
        ),
      ).toBe(true);
    });
  });
});

describe('ApiKeys', () => {
  it('identifies the key a request presents by a stable, non-secret id', () => {
    const keys = keysFor('key-alpha, key-beta');
    const request = (headers: Record<string, string>) =>
      ({ headers }) as unknown as Request;
    expect(keys.identify(request({ 'x-api-key': 'key-alpha' }))).toBe('key-1');
    expect(keys.identify(request({ authorization: 'Bearer key-beta' }))).toBe(
      'key-2',
    );
    expect(keys.identify(request({ 'x-api-key': 'other' }))).toBeUndefined();
    expect(keys.identify(request({}))).toBeUndefined();
  });
});
