import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  catchWith,
  fakeRequest,
  type Sent,
} from '../../test/support/http-fakes';
import type { Metrics } from '../metrics/metrics';
import { ApiError } from './api-error';
import { PROBLEM_CODES, PROBLEMS, problemType } from './problem-codes';
import { ProblemFilter } from './problem.filter';

describe('ProblemFilter', () => {
  let filter: ProblemFilter;

  beforeEach(() => {
    filter = new ProblemFilter({
      databaseError: jest.fn(),
    } as unknown as Metrics);
    // 5xx answers are logged; ProblemFilter: errors (the other spec) checks how.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    jest.spyOn(Logger.prototype, 'error').mockImplementation();
  });
  afterEach(() => jest.restoreAllMocks());

  const handle = (
    exception: unknown,
    options?: Parameters<typeof catchWith>[2],
  ): Sent => catchWith(filter, exception, options);

  describe('the problem document', () => {
    it('answers an ApiError with its code, detail and field errors as application/problem+json', () => {
      const errors = [{ field: 'sessionId', message: 'is required' }];
      const sent = handle(
        new ApiError('VALIDATION_FAILED', 'sessionId is required', errors),
      );

      expect(sent.status).toBe(400);
      expect(sent.type).toBe('application/problem+json');
      expect(sent.body).toEqual({
        type: problemType('VALIDATION_FAILED'),
        title: PROBLEMS.VALIDATION_FAILED.title,
        status: 400,
        detail: 'sessionId is required',
        instance: '/sessions',
        code: 'VALIDATION_FAILED',
        requestId: 'req-1',
        errors,
      });
    });

    it.each(PROBLEM_CODES)(
      'answers %s with the status and title of its catalogue entry',
      (code) => {
        const sent = handle(new ApiError(code, 'detail'));
        expect(sent.status).toBe(PROBLEMS[code].status);
        expect(sent.body).toMatchObject({
          status: PROBLEMS[code].status,
          title: PROBLEMS[code].title,
          type: problemType(code),
          code,
        });
      },
    );

    it('leaves errors out when there are none', () => {
      const sent = handle(new ApiError('SESSION_NOT_FOUND', 'nope'));
      expect(sent.body).not.toHaveProperty('errors');
    });

    it('takes the instance from the original URL, without its query', () => {
      const sent = handle(new ApiError('SESSION_NOT_FOUND', 'nope'), {
        request: fakeRequest({
          url: '/events?after=1',
          originalUrl: '/sessions/s-1/events?after=1',
        }),
      });
      expect(sent.body?.instance).toBe('/sessions/s-1/events');
    });
  });

  describe('the request id', () => {
    it('uses the id the request logger already set on the response', () => {
      const sent = handle(new ApiError('SESSION_NOT_FOUND', 'nope'));
      expect(sent.body?.requestId).toBe('req-1');
    });

    it("assigns one when the logger has not run, echoing the caller's usable X-Request-Id", () => {
      const sent = handle(new ApiError('SESSION_NOT_FOUND', 'nope'), {
        request: fakeRequest({ headers: { 'x-request-id': 'trace-123' } }),
        requestId: '',
      });
      expect(sent.headers['x-request-id']).toBe('trace-123');
      expect(sent.body?.requestId).toBe('trace-123');
    });

    it('assigns a new one in place of an unusable X-Request-Id', () => {
      const sent = handle(new ApiError('SESSION_NOT_FOUND', 'nope'), {
        request: fakeRequest({ headers: { 'x-request-id': 'a b\nc' } }),
        requestId: '',
      });
      expect(sent.body?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent.headers['x-request-id']).toBe(sent.body?.requestId);
    });
  });

  describe("Nest's HTTP exceptions", () => {
    it.each([
      [new BadRequestException('bad'), 400, 'VALIDATION_FAILED', 'bad'],
      [new UnauthorizedException('who?'), 401, 'UNAUTHORIZED', 'who?'],
      [new PayloadTooLargeException('big'), 413, 'PAYLOAD_TOO_LARGE', 'big'],
      [
        new UnsupportedMediaTypeException('xml'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'xml',
      ],
      [
        new HttpException('slow down', HttpStatus.TOO_MANY_REQUESTS),
        429,
        'RATE_LIMITED',
        'slow down',
      ],
    ])(
      'maps %p to %i %s with its message',
      (exception, status, code, detail) => {
        const sent = handle(exception);
        expect(sent.status).toBe(status);
        expect(sent.body).toMatchObject({ status, code, detail });
      },
    );

    it('joins a list of messages', () => {
      const sent = handle(new BadRequestException(['a is bad', 'b is bad']));
      expect(sent.body?.detail).toBe('a is bad; b is bad');
    });

    it('answers 404 ROUTE_NOT_FOUND when no route has the path', () => {
      const sent = handle(new NotFoundException(), {
        request: fakeRequest({ method: 'GET', path: '/nope' }, [
          { path: '/sessions', methods: ['get', 'post'] },
        ]),
      });
      expect(sent.status).toBe(404);
      expect(sent.body).toMatchObject({
        code: 'ROUTE_NOT_FOUND',
        detail: 'No route for GET /nope',
      });
      expect(sent.headers.allow).toBeUndefined();
    });

    it('answers 405 METHOD_NOT_ALLOWED with Allow (HEAD wherever GET) when the path has other methods', () => {
      const sent = handle(new NotFoundException(), {
        request: fakeRequest({ method: 'DELETE', path: '/sessions' }, [
          { path: '/sessions', methods: ['post'] },
          { path: '/sessions', methods: ['get'] },
        ]),
      });
      expect(sent.status).toBe(405);
      expect(sent.headers.allow).toBe('GET, HEAD, POST');
      expect(sent.body).toMatchObject({
        code: 'METHOD_NOT_ALLOWED',
        detail: 'DELETE is not supported on /sessions; use GET, HEAD, POST.',
      });
    });

    it('does not count middleware mounted for every method as a route', () => {
      const sent = handle(new NotFoundException(), {
        request: fakeRequest({ method: 'GET', path: '/sessions' }, [
          { path: '/sessions', methods: ['_all'] },
        ]),
      });
      expect(sent.body?.code).toBe('ROUTE_NOT_FOUND');
    });

    it('answers a failed health check 503 DATABASE_UNAVAILABLE naming what is down', () => {
      const sent = handle(
        new ServiceUnavailableException({
          status: 'error',
          error: { mongo: { status: 'down' } },
        }),
      );
      expect(sent.status).toBe(503);
      expect(sent.body).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        detail: 'Not ready: mongo down.',
      });
    });

    it('answers any other 503 as the service being unavailable', () => {
      const sent = handle(new ServiceUnavailableException());
      expect(sent.body).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        detail: 'Service unavailable.',
      });
    });

    it('answers a status the catalogue does not know as an internal error', () => {
      const sent = handle(new ForbiddenException('no'));
      expect(sent.status).toBe(500);
      expect(sent.body?.code).toBe('INTERNAL_ERROR');
    });
  });
});
