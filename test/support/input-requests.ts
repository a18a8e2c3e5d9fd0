import fc from 'fast-check';
import type { Response } from 'supertest';
import type { TestAgent } from './app';
import {
  bodyMutation,
  JSON_TYPE,
  mutate,
  otherBody,
  type RawBody,
} from './input-bodies';
import { utf16String } from './property';

/**
 * Arbitrary requests on every route (test/*input.property*): JSON of any
 * shape, near-valid bodies with a few fields broken, malformed JSON, other
 * content types, odd path segments and query strings, other methods.
 */

/** Sessions that exist before the first request, one per state. */
export const POOL = ['fz-initiated', 'fz-active', 'fz-completed', 'fz-failed'];
export const POOL_EVENTS = ['ev-1', 'ev-2', 'ev-3'];

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

export interface FuzzRequest {
  method: Method;
  url: string;
  body?: RawBody;
}

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
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

export function sendRequest(
  http: TestAgent,
  req: FuzzRequest,
): Promise<Response> {
  const call = http[req.method](req.url);
  return req.body
    ? call.set('Content-Type', req.body.type).send(req.body.data)
    : call;
}
