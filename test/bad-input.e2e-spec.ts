import { useTestApp } from './support/app';
import {
  type BadInput,
  expectProblemFor,
  sendBadInput,
} from './support/bad-input';
import { eventBody, seedSession } from './support/fixtures';

/**
 * Bad input through the whole app, with what is stored checked before and
 * after. The classes the body middleware and the validation pipe refuse are
 * specified request by request in test/controller/ (the service not called);
 * here are the ones only the service can judge, and a few of the others to
 * show that AppModule wires the same middleware, pipe and filter.
 */
const cases: BadInput[] = [
  // Judged by the service, against its configuration or the stored session.
  {
    name: 'payload over MAX_EVENT_PAYLOAD_BYTES',
    path: '/sessions/:s/events',
    body: eventBody({ payload: { big: 'x'.repeat(65 * 1024) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'payload',
  },
  {
    name: 'complete with endedAt before startedAt',
    path: '/sessions/:s/complete',
    body: { endedAt: '2020-01-01T00:00:00Z' },
    status: 409,
    code: 'ENDED_BEFORE_STARTED',
    field: 'endedAt',
  },
  // Refused by the body middleware and the pipe, as in the controller specs.
  {
    name: 'malformed JSON, through the whole app',
    path: '/sessions',
    raw: { type: 'application/json', data: '{"sessionId": "a",' },
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'unknown field, through the whole app',
    path: '/sessions/:s/events',
    body: { ...eventBody(), extra: 1 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'extra',
  },
  {
    name: 'limit 0, through the whole app',
    method: 'get',
    path: '/sessions/:s/events?limit=0',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'limit',
  },
];

describe('Bad input', () => {
  const t = useTestApp();
  let sessionId: string;

  beforeAll(async () => {
    ({ sessionId } = await seedSession(t.http));
  });

  const snapshot = async () => ({
    count: await t.sessions.countDocuments(),
    session: await t.sessions.findOne({ sessionId }).lean(),
  });

  it.each(cases)('$name: $status $code, nothing stored', async (c) => {
    const before = await snapshot();

    const res = await sendBadInput(t.http, c, sessionId);

    expectProblemFor(res, c, sessionId);
    expect(await snapshot()).toEqual(before);
  });

  it('echoes the caller X-Request-Id on problems', async () => {
    const res = await t.http
      .get('/sessions/nope')
      .set('X-Request-Id', 'trace-123')
      .expect(404);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
  });
});
