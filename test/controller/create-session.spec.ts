import {
  type BadInput,
  expectProblemFor,
  sendBadInput,
} from '../support/bad-input';
import { serviceCalls, useControllerHarness } from '../support/controller';
import { sessionBody } from '../support/fixtures';

const CREATE = '/sessions';

const cases: BadInput[] = [
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
    body: { ...sessionBody(), sessionId: '' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId of 129 chars',
    path: CREATE,
    body: { ...sessionBody(), sessionId: 'a'.repeat(129) },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId starting with "-"',
    path: CREATE,
    body: { ...sessionBody(), sessionId: '-abc' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId with a slash',
    path: CREATE,
    body: { ...sessionBody(), sessionId: 'a/b' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId as a number',
    path: CREATE,
    body: { ...sessionBody(), sessionId: 12345 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'sessionId as an operator object',
    path: CREATE,
    body: { ...sessionBody(), sessionId: { $gt: '' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'sessionId',
  },
  {
    name: 'language not BCP 47',
    path: CREATE,
    body: { ...sessionBody(), language: 'english' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'language',
  },
  {
    name: 'status set by the client',
    path: CREATE,
    body: { ...sessionBody(), status: 'completed' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'unknown field',
    path: CREATE,
    body: { ...sessionBody(), extra: 1 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'extra',
  },
  {
    name: 'startedAt without a time zone',
    path: CREATE,
    body: { ...sessionBody(), startedAt: '2026-11-25T10:00:00' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'startedAt',
  },
  {
    name: 'startedAt not a date',
    path: CREATE,
    body: { ...sessionBody(), startedAt: '2026-02-30T10:00:00Z' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'startedAt',
  },
  {
    name: 'metadata as an array',
    path: CREATE,
    body: { ...sessionBody(), metadata: [1, 2] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'metadata',
  },
  {
    name: 'metadata null',
    path: CREATE,
    body: { ...sessionBody(), metadata: null },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'metadata',
  },
  {
    name: 'metadata with a $ key',
    path: CREATE,
    body: { ...sessionBody(), metadata: { $set: { a: 1 } } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'metadata',
  },
  {
    name: 'metadata over 16 KiB',
    path: CREATE,
    body: { ...sessionBody(), metadata: { big: 'x'.repeat(17 * 1024) } },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'metadata',
  },
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
];

describe('POST /sessions: bad input', () => {
  const h = useControllerHarness();

  it.each(cases)('$name: $status $code, the service not called', async (c) => {
    const res = await sendBadInput(h.http, c, 's-1');

    expectProblemFor(res, c, 's-1');
    expect(serviceCalls(h.service)).toEqual([]);
  });
});
