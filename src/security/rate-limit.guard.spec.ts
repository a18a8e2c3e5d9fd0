import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import type { Env } from '../config/env.validation';
import { ApiKeys } from './api-keys';
import { RateLimitGuard } from './rate-limit.guard';

/** Exposes the tracker, the one thing this guard adds to ThrottlerGuard. */
class TrackerProbe extends RateLimitGuard {
  tracker(request: Request): Promise<string> {
    return this.getTracker(request);
  }
}

describe('RateLimitGuard', () => {
  const probe = new TrackerProbe(
    { throttlers: [{ ttl: 60_000, limit: 10 }] },
    {} as ThrottlerStorage,
    new Reflector(),
    new ApiKeys(new ConfigService<Env, true>({ API_KEYS: 'key-alpha' })),
  );
  const request = (headers: Record<string, string>, ip?: string) =>
    ({ headers, ip }) as unknown as Request;

  it('counts requests with a valid key against that key, wherever they come from', async () => {
    await expect(
      probe.tracker(request({ 'x-api-key': 'key-alpha' }, '10.0.0.1')),
    ).resolves.toBe('key:key-1');
    await expect(
      probe.tracker(request({ authorization: 'Bearer key-alpha' }, '10.0.0.2')),
    ).resolves.toBe('key:key-1');
  });

  it('counts requests without a valid key against the client address, so invented keys gain nothing', async () => {
    await expect(probe.tracker(request({}, '10.0.0.1'))).resolves.toBe(
      'ip:10.0.0.1',
    );
    await expect(
      probe.tracker(request({ 'x-api-key': 'invented' }, '10.0.0.1')),
    ).resolves.toBe('ip:10.0.0.1');
  });

  it('counts requests of unknown origin together', async () => {
    await expect(probe.tracker(request({}))).resolves.toBe('ip:unknown');
  });
});
