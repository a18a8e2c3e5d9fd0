import {
  type ArgumentsHost,
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
import type { Request, Response } from 'express';
import { mongo } from 'mongoose';
import { LostRaceError } from '../database/mongo-errors';
import type { Metrics } from '../metrics/metrics';
import { ApiError } from './api-error';
import { PROBLEM_CODES, PROBLEMS, problemType } from './problem-codes';
import { ProblemFilter } from './problem.filter';

/** What the filter sent: status, headers and the parsed body. */
interface Sent {
  status?: number;
  type?: string;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

interface Route {
  path: string;
  methods: string[];
}

function fakeRequest(
  overrides: Partial<Request> = {},
  routes: Route[] = [],
): Request {
  const stack = routes.map((route) => ({
    route: {
      methods: Object.fromEntries(route.methods.map((m) => [m, true])),
    },
    match: (path: string) => path === route.path,
  }));
  return {
    method: 'POST',
    path: '/sessions',
    url: '/sessions?x=1',
    originalUrl: '/sessions?x=1',
    headers: {},
    app: { router: { stack } },
    ...overrides,
  } as unknown as Request;
}

function fakeResponse(
  sent: Sent,
  {
    headersSent = false,
    requestId,
  }: { headersSent?: boolean; requestId?: string } = {},
): Response {
  if (requestId) sent.headers['x-request-id'] = requestId;
  const response = {
    headersSent,
    getHeader: (name: string) => sent.headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => {
      sent.headers[name.toLowerCase()] = value;
      return response;
    },
    status: (status: number) => {
      sent.status = status;
      return response;
    },
    type: (type: string) => {
      sent.type = type;
      return response;
    },
    send: (body: string) => {
      sent.body = JSON.parse(body) as Record<string, unknown>;
      return response;
    },
  };
  return response as unknown as Response;
}

describe('ProblemFilter', () => {
  let metrics: { databaseError: jest.Mock };
  let filter: ProblemFilter;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    metrics = { databaseError: jest.fn() };
    filter = new ProblemFilter(metrics as unknown as Metrics);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation();
  });
  afterEach(() => jest.restoreAllMocks());

  function handle(
    exception: unknown,
    {
      request = fakeRequest(),
      headersSent = false,
      requestId = 'req-1',
    }: { request?: Request; headersSent?: boolean; requestId?: string } = {},
  ): Sent {
    const sent: Sent = { headers: {} };
    const response = fakeResponse(sent, { headersSent, requestId });
    const host = {
      switchToHttp: () => ({
        getRequest: () => request,
        getResponse: () => response,
      }),
    } as unknown as ArgumentsHost;
    filter.catch(exception, host);
    return sent;
  }

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

  describe('database errors', () => {
    it.each([
      [
        'an unreachable database',
        new mongo.MongoNotConnectedError('Client must be connected'),
      ],
      ['a network error', new mongo.MongoNetworkError('connection reset')],
      [
        'a write that kept losing races',
        new mongo.MongoServerError({ code: 112, errmsg: 'WriteConflict' }),
      ],
      ['a lost race', new LostRaceError('changed meanwhile')],
    ])('answers %s 503 with Retry-After, and counts it', (_, exception) => {
      const sent = handle(exception);
      expect(sent.status).toBe(503);
      expect(sent.headers['retry-after']).toBe('1');
      expect(sent.body).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        detail: 'The database is unavailable; retry shortly.',
      });
      expect(metrics.databaseError).toHaveBeenCalledTimes(1);
    });

    it('does not count other problems as database errors', () => {
      handle(new ApiError('SESSION_NOT_FOUND', 'nope'));
      handle(new Error('boom'));
      expect(metrics.databaseError).not.toHaveBeenCalled();
    });
  });

  describe('unexpected errors', () => {
    it('answers 500 INTERNAL_ERROR without the message or stack', () => {
      const sent = handle(new Error('E11000 duplicate key at MongoClient'));
      expect(sent.status).toBe(500);
      expect(sent.body).toMatchObject({
        code: 'INTERNAL_ERROR',
        detail: 'An unexpected error occurred.',
      });
      expect(JSON.stringify(sent.body)).not.toMatch(/E11000|Mongo|stack/);
    });

    it.each([
      ['a string', 'boom'],
      ['undefined', undefined],
      ['null', null],
    ])('answers a thrown %s as 500 too', (_, thrown) => {
      expect(handle(thrown).body?.code).toBe('INTERNAL_ERROR');
    });
  });

  describe('logging', () => {
    it('logs a 500 as an error with the exception and the request id', () => {
      const exception = new Error('boom');
      handle(exception);
      expect(error).toHaveBeenCalledWith(
        { err: exception, requestId: 'req-1' },
        'INTERNAL_ERROR: An unexpected error occurred.',
      );
      expect(warn).not.toHaveBeenCalled();
    });

    it('logs a 503 as a warning', () => {
      handle(new mongo.MongoNetworkError('reset'));
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ requestId: 'req-1' }),
        expect.stringMatching(/^DATABASE_UNAVAILABLE: /),
      );
      expect(error).not.toHaveBeenCalled();
    });

    it('does not log 4xx problems', () => {
      handle(new ApiError('VALIDATION_FAILED', 'bad'));
      handle(new NotFoundException());
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    });

    it('still logs, but sends nothing, when the response has already started', () => {
      const sent = handle(new Error('late'), { headersSent: true });
      expect(error).toHaveBeenCalledTimes(1);
      expect(sent.status).toBeUndefined();
      expect(sent.body).toBeUndefined();
    });
  });
});
