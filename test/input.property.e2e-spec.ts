import './support/property-env';
import fc from 'fast-check';
import { PROBLEMS } from '../src/common/problem-codes';
import { createTestApp, type TestApp } from './support/app';
import {
  propertyParameters,
  RequestCounter,
  storableJsonObject,
  utf16String,
} from './support/property';

/**
 * Arbitrary requests on every route: JSON of any shape, near-valid bodies with
 * a few fields broken, malformed JSON, other content types, odd path segments
 * and query strings. Whatever arrives: never a 5xx, every 4xx is a problem
 * document, and a rejected request leaves the database exactly as it was.
 */

const RUNS = 1500;

/** Sessions that exist before the first request, one per state. */
const POOL = ['fz-initiated', 'fz-active', 'fz-completed', 'fz-failed'];
const POOL_EVENTS = ['ev-1', 'ev-2', 'ev-3'];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Route {
  method: Method;
  /** `{s}` and `{e}` are replaced by (encoded) path segments. */
  path: string;
  /** A valid body for the route, which mutations then break. */
  body?: (ids: { s: string; e: string }) => Record<string, unknown>;
}

const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/sessions',
    body: ({ s }) => ({
      sessionId: s,
      language: 'en-US',
      metadata: { channel: 'phone' },
      startedAt: '2026-11-25T10:00:00.000Z',
    }),
  },
  { method: 'get', path: '/sessions' },
  { method: 'get', path: '/sessions/{s}' },
  { method: 'get', path: '/sessions/{s}/events' },
  { method: 'get', path: '/sessions/{s}/events/{e}' },
  {
    method: 'post',
    path: '/sessions/{s}/events',
    body: ({ e }) => ({
      eventId: e,
      type: 'user_speech',
      payload: { text: 'hello' },
      timestamp: '2026-11-25T10:00:01.000Z',
    }),
  },
  {
    method: 'post',
    path: '/sessions/{s}/events/batch',
    body: ({ e }) => ({
      events: [
        {
          eventId: e,
          type: 'user_speech',
          payload: { text: 'hello' },
          timestamp: '2026-11-25T10:00:01.000Z',
        },
      ],
    }),
  },
  {
    method: 'post',
    path: '/sessions/{s}/complete',
    body: () => ({ endedAt: '2026-11-25T10:05:00.000Z' }),
  },
  {
    method: 'post',
    path: '/sessions/{s}/fail',
    body: () => ({ reason: 'caller hung up' }),
  },
  { method: 'get', path: '/health/live' },
  { method: 'get', path: '/health/ready' },
  { method: 'get', path: '/metrics' },
];

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates become U+FFFD). */
function encodeAll(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x80 && UNRESERVED.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

const validId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,20}$/);

/** Odd things to find in a path segment or a query value, sent as they are. */
const NASTY_RAW = [
  '%',
  '%zz',
  '%00',
  '..',
  '.',
  '%2F',
  '%2e%2e',
  'a%2Fb',
  '%E0%A4%A',
  '%C0%AF',
  '%20',
  '%ED%A0%80',
  '%F0%9F%98%80',
  'a'.repeat(129),
  'a'.repeat(5000),
  '__proto__',
  'constructor',
  '$where',
  'null',
  '-1',
];

const segment = (pool: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...pool), weight: 5 },
    { arbitrary: validId, weight: 2 },
    {
      arbitrary: utf16String(20).map(encodeAll),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...NASTY_RAW), weight: 1 },
  );

const numberish = fc.oneof(
  fc.integer({ min: -5, max: 1100 }).map(String),
  fc.constantFrom(
    '',
    '1e3',
    '0x10',
    '+5',
    '-0',
    '01',
    '1.0',
    '1.5',
    'NaN',
    'Infinity',
    '9007199254740993',
    '2147483648',
    '99999999999999999999',
    '%20',
  ),
  fc.string({ maxLength: 6 }).map(encodeAll),
);

const queryValue = (key: string): fc.Arbitrary<string> => {
  switch (key) {
    case 'limit':
    case 'after':
      return numberish;
    case 'status':
      return fc.oneof(
        fc.constantFrom('initiated', 'active', 'completed', 'failed', 'ACTIVE'),
        fc.string({ maxLength: 8 }).map(encodeAll),
      );
    case 'cursor':
      return fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }).map(encodeAll),
        fc
          .string({ unit: 'binary', maxLength: 40 })
          .map((text) => Buffer.from(text).toString('base64url')),
        fc
          .tuple(fc.integer(), validId)
          .map(([ms, id]) =>
            Buffer.from(JSON.stringify([ms, id])).toString('base64url'),
          ),
        fc.tuple(fc.integer(), validId).map(([ms, id]) => `${ms}~${id}`),
      );
    default:
      return fc.string({ maxLength: 8 }).map(encodeAll);
  }
};

const queryKey = fc.oneof(
  {
    arbitrary: fc.constantFrom('limit', 'after', 'status', 'cursor'),
    weight: 4,
  },
  { arbitrary: fc.string({ maxLength: 6 }).map(encodeAll), weight: 1 },
  {
    arbitrary: fc.constantFrom('limit[0]', 'limit[a]', '__proto__', 'a.b'),
    weight: 1,
  },
);

const queryString = fc.oneof(
  { arbitrary: fc.constant(''), weight: 2 },
  {
    arbitrary: fc
      .array(
        queryKey.chain((key) => queryValue(key).map((value) => [key, value])),
        { maxLength: 4 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    weight: 6,
  },
  { arbitrary: fc.constantFrom(...NASTY_RAW), weight: 1 },
);

type BodyMutation =
  | { kind: 'set'; field: number; value: unknown }
  | { kind: 'delete'; field: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'badKey'; field: number; key: string };

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.nat(),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      utf16String(20),
      fc.constantFrom(
        '',
        'a'.repeat(129),
        '2026-02-30T00:00:00Z',
        '2026-11-25T10:00:00',
        '2020-01-01T00:00:00Z',
        '9999-12-31T23:00:00-05:00',
        '0001-01-01T00:00:00Z',
        'system',
        'x-klingon-tlh',
        {},
        [],
      ),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), field: fc.nat() }),
  fc.record({
    kind: fc.constant('extra' as const),
    key: fc.string({ maxLength: 8 }),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({
    kind: fc.constant('badKey' as const),
    field: fc.nat(),
    key: fc.constantFrom('$set', 'a.b', 'a\u0000b', 'prototype', '\ud800', ''),
  }),
);

function mutate(
  body: Record<string, unknown>,
  mutations: BodyMutation[],
): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(body);
  const fields = Object.keys(body);
  for (const m of mutations) {
    const field = 'field' in m ? fields[m.field % fields.length] : '';
    if (m.kind === 'set') result[field] = m.value;
    else if (m.kind === 'delete') delete result[field];
    else if (m.kind === 'extra') result[m.key] = m.value;
    else result[field] = { nested: { [m.key]: 1 } };
  }
  return result;
}

interface RawBody {
  data: string;
  type: string;
}

const JSON_TYPE = 'application/json';

function deepJson(levels: number): string {
  return '{"v":'.repeat(levels) + '1' + '}'.repeat(levels);
}

const otherBody: fc.Arbitrary<RawBody> = fc.oneof(
  fc
    .jsonValue({ maxDepth: 3 })
    .map((value) => ({ data: JSON.stringify(value), type: JSON_TYPE })),
  storableJsonObject.map((value) => ({
    data: JSON.stringify(value),
    type: JSON_TYPE,
  })),
  utf16String(40).map((data) => ({ data, type: JSON_TYPE })),
  fc.constantFrom<RawBody>(
    { data: '{"sessionId":', type: JSON_TYPE },
    { data: '{"a":1}{"b":2}', type: JSON_TYPE },
    { data: '"just a string"', type: JSON_TYPE },
    { data: 'null', type: JSON_TYPE },
    { data: '[]', type: JSON_TYPE },
    { data: '{"__proto__":{"admin":true}}', type: JSON_TYPE },
    { data: '{"constructor":{"prototype":{}}}', type: JSON_TYPE },
    { data: '{"payload":{"__proto__":1}}', type: JSON_TYPE },
    { data: '{"a":"\\ud800"}', type: JSON_TYPE },
    { data: '{"a":1e400}', type: JSON_TYPE },
    { data: deepJson(40), type: JSON_TYPE },
    { data: deepJson(5000), type: JSON_TYPE },
    { data: `{"x":"${'a'.repeat(1_100_000)}"}`, type: JSON_TYPE },
    { data: '{"language":"en"}', type: 'text/plain' },
    {
      data: 'sessionId=a&language=en',
      type: 'application/x-www-form-urlencoded',
    },
    { data: '{"language":"en"}', type: 'application/json; charset=latin1' },
    { data: '{"language":"en"}', type: 'application/json; charset=utf-16' },
    { data: '{"language":"en"}', type: 'application/merge-patch+json' },
    { data: '{"language":"en"}', type: 'application/xml' },
    { data: '', type: JSON_TYPE },
  ),
);

interface FuzzRequest {
  method: Method;
  url: string;
  body?: RawBody;
}

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    route: fc.constantFrom(...ROUTES),
    // Mostly the route's own method; sometimes another one.
    otherMethod: fc.oneof(
      { arbitrary: fc.constant(null), weight: 9 },
      {
        arbitrary: fc.constantFrom<Method>(
          'get',
          'post',
          'put',
          'patch',
          'delete',
        ),
        weight: 1,
      },
    ),
    s: segment(POOL),
    e: segment(POOL_EVENTS),
    query: queryString,
    mutations: fc.array(bodyMutation, { maxLength: 3 }),
    bodyKind: fc.constantFrom('mutated', 'mutated', 'other', 'none'),
    other: otherBody,
    trailingSlash: fc.boolean(),
  })
  .map((r) => {
    const path = r.route.path.replace('{s}', r.s).replace('{e}', r.e);
    const url = `${path}${r.trailingSlash ? '/' : ''}${r.query ? `?${r.query}` : ''}`;
    const method = r.otherMethod ?? r.route.method;
    let body: RawBody | undefined;
    if (r.bodyKind === 'other') body = r.other;
    else if (r.bodyKind === 'mutated' && r.route.body) {
      const valid = r.route.body({
        s: decodeOr(r.s),
        e: decodeOr(r.e),
      });
      body = {
        data: JSON.stringify(mutate(valid, r.mutations)),
        type: JSON_TYPE,
      };
    }
    return { method, url, body };
  });

function decodeOr(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

describe('Property: arbitrary input never breaks the service', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    for (const sessionId of POOL) {
      await t.http
        .post('/sessions')
        .send({ sessionId, language: 'en' })
        .expect(201);
    }
    for (const sessionId of POOL.slice(1)) {
      for (const eventId of POOL_EVENTS) {
        await t.http
          .post(`/sessions/${sessionId}/events`)
          .send({
            eventId,
            type: 'system',
            payload: { eventId },
            timestamp: '2026-11-25T10:00:00Z',
          })
          .expect(201);
      }
    }
    await t.http.post('/sessions/fz-completed/complete').expect(200);
    await t.http.post('/sessions/fz-failed/fail').expect(200);
  });
  afterAll(() => t.close());

  /** Everything stored, in a stable order: what a rejected request must not change. */
  const snapshot = () =>
    t.sessions.find({}).sort({ sessionId: 1 }).lean().exec();

  it('no 5xx; every 4xx is application/problem+json; a rejected request changes nothing', async () => {
    const counter = new RequestCounter('arbitrary input');
    let before = await snapshot();

    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        let call = t.http[req.method](req.url);
        if (req.body) {
          call = call.set('Content-Type', req.body.type).send(req.body.data);
        }
        const res = await call;
        counter.add(res);

        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(
            /^application\/problem\+json/,
          );
          const problem = res.body as Record<string, unknown>;
          expect(problem).toEqual(
            expect.objectContaining({
              type: expect.stringMatching(
                /^urn:problem-type:conversation-service:/,
              ),
              title: expect.any(String),
              status: res.status,
              detail: expect.any(String),
              instance: expect.any(String),
              code: expect.any(String),
              requestId: res.headers['x-request-id'],
            }),
          );
          const code = problem.code as keyof typeof PROBLEMS;
          expect(PROBLEMS[code]?.status).toBe(res.status);

          expect(await snapshot()).toEqual(before);
        } else {
          // Accepted (a valid body slipped through): what it wrote is the new baseline.
          before = await snapshot();
        }
      }),
      propertyParameters('arbitrary input', RUNS),
    );
    counter.report();
  }, 180_000);
});
