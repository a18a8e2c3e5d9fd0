import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { locationOf, type Outcome } from './outcome';
import { OutcomeInterceptor } from './outcome.interceptor';

describe('locationOf()', () => {
  it('is the path of the GET route of a session or of one of its events, ids encoded', () => {
    expect(locationOf({ sessionId: 's1' })).toBe('/sessions/s1');
    expect(locationOf({ sessionId: 'a:b', eventId: 'e@1' })).toBe(
      '/sessions/a%3Ab/events/e%401',
    );
  });
});

describe('OutcomeInterceptor', () => {
  const run = async (outcome: Outcome<{ id: number }>) => {
    const response = {
      status: jest.fn().mockReturnThis(),
      setHeader: jest.fn().mockReturnThis(),
    };
    const context = {
      switchToHttp: () => ({ getResponse: () => response }),
    } as unknown as ExecutionContext;
    const next: CallHandler<Outcome<{ id: number }>> = {
      handle: () => of(outcome),
    };
    const body = await lastValueFrom(
      new OutcomeInterceptor().intercept(context, next),
    );
    return { body, response };
  };

  it('answers 201 with the Location of the created resource', async () => {
    const { body, response } = await run({
      value: { id: 1 },
      created: true,
      resource: { sessionId: 's1', eventId: 'e1' },
    });
    expect(body).toEqual({ id: 1 });
    expect(response.status).toHaveBeenCalledWith(201);
    expect(response.setHeader).toHaveBeenCalledWith(
      'Location',
      '/sessions/s1/events/e1',
    );
  });

  it('answers 201 without Location when the write names no single resource', async () => {
    const { response } = await run({ value: { id: 1 }, created: true });
    expect(response.status).toHaveBeenCalledWith(201);
    expect(response.setHeader).not.toHaveBeenCalled();
  });

  it('answers 200 with Idempotent-Replayed for a replay', async () => {
    const { body, response } = await run({
      value: { id: 2 },
      created: false,
      resource: { sessionId: 's1' },
    });
    expect(body).toEqual({ id: 2 });
    expect(response.status).toHaveBeenCalledWith(200);
    expect(response.setHeader).toHaveBeenCalledWith(
      'Idempotent-Replayed',
      'true',
    );
  });
});
