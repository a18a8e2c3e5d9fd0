import {
  type BadInput,
  expectProblemFor,
  sendBadInput,
} from '../support/bad-input';
import { serviceCalls, useControllerHarness } from '../support/controller';

const cases: BadInput[] = [
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

describe('GET query strings: bad input', () => {
  const h = useControllerHarness();

  it.each(cases)('$name: $status $code, the service not called', async (c) => {
    const res = await sendBadInput(h.http, c, 's-1');

    expectProblemFor(res, c, 's-1');
    expect(serviceCalls(h.service)).toEqual([]);
  });
});
