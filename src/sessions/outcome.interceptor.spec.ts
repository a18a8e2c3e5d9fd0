import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { firstValueFrom, of } from 'rxjs';
import { OutcomeInterceptor } from './outcome.interceptor';
import type { Outcome } from './outcome';

const VALUE = { sessionId: 's-1' };

/** Runs the interceptor on one handler result; returns the body and what was set on the response. */
async function intercept(result: Outcome<typeof VALUE>) {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  const response = {
    status(code: number) {
      status = code;
      return response;
    },
    setHeader(name: string, value: string) {
      headers[name] = value;
      return response;
    },
  };
  const context = {
    switchToHttp: () => ({
      getResponse: () => response as unknown as Response,
    }),
  } as unknown as ExecutionContext;
  const next: CallHandler<Outcome<typeof VALUE>> = { handle: () => of(result) };
  const body = await firstValueFrom(
    new OutcomeInterceptor<typeof VALUE>().intercept(context, next),
  );
  return { body, status, headers };
}

describe('OutcomeInterceptor', () => {
  it('answers a write that created the resource 201 with its Location', async () => {
    const answer = await intercept({
      value: VALUE,
      created: true,
      resource: { sessionId: 's-1' },
    });
    expect(answer).toEqual({
      body: VALUE,
      status: 201,
      headers: { Location: '/sessions/s-1' },
    });
  });

  it('answers a replay of an earlier identical write 200 with Idempotent-Replayed', async () => {
    const answer = await intercept({
      value: VALUE,
      created: false,
      resource: { sessionId: 's-1' },
    });
    expect(answer).toEqual({
      body: VALUE,
      status: 200,
      headers: { 'Idempotent-Replayed': 'true' },
    });
  });
});
