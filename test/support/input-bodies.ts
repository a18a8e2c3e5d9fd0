import fc from 'fast-check';
import { storableJsonObject, utf16String } from './property';

/** Bodies for the arbitrary requests of input-requests.ts: valid ones broken a little, and anything else. */

type BodyMutation =
  | { kind: 'set'; field: number; value: unknown }
  | { kind: 'delete'; field: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'badKey'; field: number; key: string };

export const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
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

export function mutate(
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

export interface RawBody {
  data: string;
  type: string;
}

export const JSON_TYPE = 'application/json';

function deepJson(levels: number): string {
  return '{"v":'.repeat(levels) + '1' + '}'.repeat(levels);
}

export const otherBody: fc.Arbitrary<RawBody> = fc.oneof(
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
