import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { defer, lastValueFrom, NEVER, of } from 'rxjs';
import type { Env } from '../config/env.validation';
import { DatabaseDeadlineInterceptor } from './database-deadline.interceptor';
import { DatabaseTimeoutError, remainingMs } from './deadline';

const interceptor = (timeoutMs: number) =>
  new DatabaseDeadlineInterceptor({
    getOrThrow: () => timeoutMs,
  } as unknown as ConfigService<Env, true>);
const context = {} as ExecutionContext;
const handler = (handle: CallHandler['handle']): CallHandler => ({ handle });

describe('DatabaseDeadlineInterceptor', () => {
  it("passes the route's answer through", async () => {
    const answer = interceptor(1000).intercept(
      context,
      handler(() => of({ ok: true })),
    );
    await expect(lastValueFrom(answer)).resolves.toEqual({ ok: true });
  });

  it('answers DatabaseTimeoutError when the route outlasts the bound', async () => {
    const started = Date.now();
    const answer = interceptor(100).intercept(
      context,
      handler(() => NEVER),
    );
    await expect(lastValueFrom(answer)).rejects.toBeInstanceOf(
      DatabaseTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('runs the route inside the deadline, so that its retries can see the time left', async () => {
    const answer = interceptor(1000).intercept(
      context,
      handler(() => defer(async () => remainingMs())),
    );
    const left = await lastValueFrom(answer);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(1000);
  });
});
