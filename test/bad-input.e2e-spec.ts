import { createTestApp, type TestAgent, type TestApp } from './support/app';
import { eventBody, sessionBody } from './support/fixtures';

interface Case {
  name: string;
  method?: 'post' | 'get';
  /** `:s` is replaced with the id of an existing, open session. */
  path: string;
  body?: unknown;
  /** Sent as is, with this content type. */
  raw?: { type: string; data: string };
  status: number;
  code: string;
  field?: string;
}

const deep = (levels: number): Record<string, unknown> => {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) node = { n: node };
  return node;
};

const CREATE = '/sessions';
const APPEND = '/sessions/:s/events';

const cases: Case[] = [
  // Create: shape and ids
  {
    name: 'missing sessionId',
    path: CREATE,
    body: { language: 'en' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'empty sessionId',
    path: CREATE,
    body: sessionBody({ sessionId: '' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId of 129 chars',
    path: CREATE,
    body: sessionBody({ sessionId: 'a'.repeat(129) }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId starting with "-"',
    path: CREATE,
    body: sessionBody({ sessionId: '-abc' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId with a slash',
    path: CREATE,
    body: sessionBody({ sessionId: 'a/b' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId as a number',
    path: CREATE,
    body: sessionBody({ sessionId: 12345 }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId as an operator object',
    path: CREATE,
    body: sessionBody({ sessionId: { $gt: '' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'language not BCP 47',
    path: CREATE,
    body: sessionBody({ language: 'english' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'language',
  },
  {
    name: 'status set by the client',
    path: CREATE,
    body: sessionBody({ status: 'completed' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'unknown field',
    path: CREATE,
    body: sessionBody({ extra: 1 }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'extra',
  },
  {
    name: 'startedAt without a time zone',
    path: CREATE,
    body: sessionBody({ startedAt: '2026-11-25T10:00:00' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'startedAt',
  },
  {
    name: 'startedAt not a date',
    path: CREATE,
    body: sessionBody({ startedAt: '2026-02-30T10:00:00Z' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'startedAt',
  },
  {
    name: 'metadata as an array',
    path: CREATE,
    body: sessionBody({ metadata: [1, 2] }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'metadata',
  },
  {
    name: 'metadata null',
    path: CREATE,
    body: sessionBody({ metadata: null }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'metadata',
  },
  {
    name: 'metadata with a $ key',
    path: CREATE,
    body: sessionBody({ metadata: { $set: { a: 1 } } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'metadata',
  },
  {
    name: 'metadata over 16 KiB',
    path: CREATE,
    body: sessionBody({ metadata: { big: 'x'.repeat(17 * 1024) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'metadata',
  },
  // Bodies
  {
    name: 'malformed JSON',
    path: CREATE,
    raw: { type: 'application/json', data: '{"sessionId": "a",' },
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'a JSON string instead of an object',
    path: CREATE,
    raw: { type: 'application/json', data: '"hello"' },
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'a JSON array instead of an object',
    path: CREATE,
    body: [sessionBody()],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a non-JSON content type',
    path: CREATE,
    raw: { type: 'text/plain', data: 'sessionId=a' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body over MAX_BODY_BYTES',
    path: APPEND,
    body: eventBody({ payload: { big: 'x'.repeat(1024 * 1024 + 10) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  // Append
  {
    name: 'event without eventId',
    path: APPEND,
    body: eventBody({ eventId: undefined }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'eventId',
  },
  {
    name: 'eventId with a space',
    path: APPEND,
    body: eventBody({ eventId: 'a b' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'eventId',
  },
  {
    name: 'unknown event type',
    path: APPEND,
    body: eventBody({ type: 'dtmf' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'type',
  },
  {
    name: 'payload missing',
    path: APPEND,
    body: eventBody({ payload: undefined }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload a string',
    path: APPEND,
    body: eventBody({ payload: 'hello' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload nested deeper than 32 levels',
    path: APPEND,
    body: eventBody({ payload: deep(33) }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload key with a dot',
    path: APPEND,
    body: eventBody({ payload: { 'a.b': 1 } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'payload key with NUL',
    path: APPEND,
    body: eventBody({ payload: { 'a\u0000b': 1 } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'payload',
  },
  {
    name: 'nested payload key starting with $',
    path: APPEND,
    body: eventBody({ payload: { a: [{ $where: 'x' }] } }),
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
    body: eventBody({ payload: { a: { constructor: 1 } } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'constructor',
  },
  {
    name: 'payload over MAX_EVENT_PAYLOAD_BYTES',
    path: APPEND,
    body: eventBody({ payload: { big: 'x'.repeat(65 * 1024) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'payload',
  },
  {
    name: 'timestamp not ISO 8601',
    path: APPEND,
    body: eventBody({ timestamp: 'yesterday' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'timestamp',
  },
  {
    name: 'timestamp as epoch millis',
    path: APPEND,
    body: eventBody({ timestamp: 1764064800000 }),
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
  // Close
  {
    name: 'complete with endedAt not a date',
    path: '/sessions/:s/complete',
    body: { endedAt: 'soon' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'endedAt',
  },
  {
    name: 'complete with endedAt before startedAt',
    path: '/sessions/:s/complete',
    body: { endedAt: '2020-01-01T00:00:00Z' },
    status: 409,
    code: 'ENDED_BEFORE_STARTED',
    field: 'endedAt',
  },
  {
    name: 'complete with an unknown field',
    path: '/sessions/:s/complete',
    body: { status: 'failed' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'fail with a reason over 1024 chars',
    path: '/sessions/:s/fail',
    body: { reason: 'r'.repeat(1025) },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'reason',
  },
  {
    name: 'fail with a reason that is not a string',
    path: '/sessions/:s/fail',
    body: { reason: 42 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'reason',
  },
  // Queries
  {
    name: 'limit 0',
    method: 'get',
    path: '/sessions/:s/events?limit=0',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'limit',
  },
  {
    name: 'limit 1001',
    method: 'get',
    path: '/sessions/:s/events?limit=1001',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'limit',
  },
  {
    name: 'limit not an integer',
    method: 'get',
    path: '/sessions/:s/events?limit=2.5',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'limit',
  },
  {
    name: 'after negative',
    method: 'get',
    path: '/sessions/:s?after=-1',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'after',
  },
  {
    name: 'after not a number',
    method: 'get',
    path: '/sessions/:s/events?after=abc',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'after',
  },
  {
    name: 'after given twice',
    method: 'get',
    path: '/sessions/:s/events?after=1&after=2',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'after',
  },
  {
    name: 'unknown status filter',
    method: 'get',
    path: '/sessions?status=open',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'malformed cursor',
    method: 'get',
    path: '/sessions?cursor=not-a-cursor',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'cursor',
  },
  {
    name: 'unknown query parameter',
    method: 'get',
    path: '/sessions?sort=asc',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sort',
  },
];

describe('Bad input', () => {
  let t: TestApp;
  let http: TestAgent;
  let sessionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
    const created = await http
      .post('/sessions')
      .send(sessionBody())
      .expect(201);
    sessionId = created.body.sessionId;
  });
  afterAll(() => t.close());

  const snapshot = async () => ({
    count: await t.sessions.countDocuments(),
    session: await t.sessions.findOne({ sessionId }).lean(),
  });

  it.each(cases)('$name: $status $code, nothing stored', async (c) => {
    const before = await snapshot();
    const path = c.path.replace(':s', sessionId);
    let req = c.method === 'get' ? http.get(path) : http.post(path);
    if (c.raw) req = req.set('Content-Type', c.raw.type).send(c.raw.data);
    else if (c.body !== undefined) req = req.send(c.body as object);

    const res = await req;

    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/^urn:/),
      title: expect.any(String),
      status: c.status,
      detail: expect.any(String),
      instance: path.split('?')[0],
      code: c.code,
      requestId: res.headers['x-request-id'],
    });
    if (c.field) {
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: c.field })]),
      );
    }
    expect(JSON.stringify(res.body)).not.toMatch(/E11000|Mongo|stack/i);
    expect(await snapshot()).toEqual(before);
  });

  it('echoes the caller X-Request-Id on problems', async () => {
    const res = await http
      .get('/sessions/nope')
      .set('X-Request-Id', 'trace-123')
      .expect(404);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
  });

  it('does not pollute Object.prototype through a __proto__ key', async () => {
    const data = JSON.stringify(eventBody()).replace(
      '"payload":{',
      '"payload":{"__proto__":{"polluted":1},',
    );
    await http
      .post(`/sessions/${sessionId}/events`)
      .set('Content-Type', 'application/json')
      .send(data)
      .expect(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
