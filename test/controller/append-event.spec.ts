import {
  type BadInput,
  deep,
  expectProblemFor,
  sendBadInput,
} from '../support/bad-input';
import { serviceCalls, useControllerHarness } from '../support/controller';
import { eventBody } from '../support/fixtures';

const APPEND = '/sessions/:s/events';

const cases: BadInput[] = [
  {
    name: 'a body over MAX_BODY_BYTES',
    path: APPEND,
    body: { ...eventBody(), payload: { big: 'x'.repeat(1024 * 1024 + 10) } },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'event without eventId',
    path: APPEND,
    body: { ...eventBody(), eventId: undefined },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'eventId',
  },
  {
    name: 'eventId with a space',
    path: APPEND,
    body: { ...eventBody(), eventId: 'a b' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'eventId',
  },
  {
    name: 'unknown event type',
    path: APPEND,
    body: { ...eventBody(), type: 'dtmf' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'type',
  },
  {
    name: 'payload missing',
    path: APPEND,
    body: { ...eventBody(), payload: undefined },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload a string',
    path: APPEND,
    body: { ...eventBody(), payload: 'hello' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload nested deeper than 32 levels',
    path: APPEND,
    body: { ...eventBody(), payload: deep(33) },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload key with a dot',
    path: APPEND,
    body: { ...eventBody(), payload: { 'a.b': 1 } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload key with NUL',
    path: APPEND,
    body: { ...eventBody(), payload: { 'a\u0000b': 1 } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'nested payload key starting with $',
    path: APPEND,
    body: { ...eventBody(), payload: { a: [{ $where: 'x' }] } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload key __proto__',
    path: APPEND,
    raw: {
      type: 'application/json',
      data: JSON.stringify(eventBody()).replace(
        '"payload":{',
        '"payload":{"__proto__":{"polluted":1},',
      ),
    },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: '__proto__',
  },
  {
    name: 'payload key constructor',
    path: APPEND,
    body: { ...eventBody(), payload: { a: { constructor: 1 } } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'constructor',
  },
  {
    name: 'timestamp not ISO 8601',
    path: APPEND,
    body: { ...eventBody(), timestamp: 'yesterday' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'timestamp',
  },
  {
    name: 'timestamp as epoch millis',
    path: APPEND,
    body: { ...eventBody(), timestamp: 1764064800000 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'timestamp',
  },
  {
    name: 'invalid sessionId in the path',
    path: '/sessions/bad%20id/events',
    body: eventBody(),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
];

describe('POST /sessions/:sessionId/events: bad input', () => {
  const h = useControllerHarness();

  it.each(cases)('$name: $status $code, the service not called', async (c) => {
    const res = await sendBadInput(h.http, c, 's-1');

    expectProblemFor(res, c, 's-1');
    expect(serviceCalls(h.service)).toEqual([]);
  });

  it('does not pollute Object.prototype through a __proto__ key', async () => {
    const data = JSON.stringify(eventBody()).replace(
      '"payload":{',
      '"payload":{"__proto__":{"polluted":1},',
    );
    await h.http
      .post('/sessions/s-1/events')
      .set('Content-Type', 'application/json')
      .send(data)
      .expect(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serviceCalls(h.service)).toEqual([]);
  });
});
