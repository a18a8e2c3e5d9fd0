import {
  type BadInput,
  expectProblemFor,
  sendBadInput,
} from '../support/bad-input';
import { serviceCalls, useControllerHarness } from '../support/controller';

const cases: BadInput[] = [
  {
    name: 'complete with endedAt not a date',
    path: '/sessions/:s/complete',
    body: { endedAt: 'soon' },
    status: 400,
    code: 'VALIDATION_FAILED',
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
];

describe('POST /sessions/:sessionId/complete and /fail: bad input', () => {
  const h = useControllerHarness();

  it.each(cases)('$name: $status $code, the service not called', async (c) => {
    const res = await sendBadInput(h.http, c, 's-1');

    expectProblemFor(res, c, 's-1');
    expect(serviceCalls(h.service)).toEqual([]);
  });
});
