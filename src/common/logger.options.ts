import type { ConfigService } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { Env } from '../config/env.validation';
import { routeTemplate } from './route-template';

const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's request id is echoed only if it is short and plain. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The caller's X-Request-Id when usable, else a new one; echoed on the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const supplied = req.headers[REQUEST_ID_HEADER];
  const id =
    typeof supplied === 'string' && REQUEST_ID_PATTERN.test(supplied)
      ? supplied
      : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Human-readable lines in development (pino-pretty, a development
 * dependency); JSON everywhere else, and wherever pino-pretty is not
 * installed, as in the production image.
 */
function developmentTransport(config: ConfigService<Env, true>) {
  if (config.getOrThrow('NODE_ENV', { infer: true }) !== 'development')
    return undefined;
  try {
    require.resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return {
    target: 'pino-pretty',
    options: {
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    },
  };
}

/**
 * One line per request: method, route, status, duration and request id.
 * Bodies, metadata and credentials are never logged.
 */
export function loggerOptions(config: ConfigService<Env, true>): Params {
  return {
    pinoHttp: {
      level: config.getOrThrow('LOG_LEVEL', { infer: true }),
      transport: developmentTransport(config),
      genReqId: requestId,
      // Added to the finished line only: customProps would also bind the
      // template matched so far (the middleware's) when the request arrives,
      // and the line would carry `route` twice.
      customSuccessObject: (req, _res, line: object) => ({
        route: routeTemplate(req),
        ...line,
      }),
      customErrorObject: (req, _res, _error, line: object) => ({
        route: routeTemplate(req),
        ...line,
      }),
      // The serializers read the raw request and response: pino-http's
      // wrappers would first copy headers, address and the parsed query
      // string (parsing it) into an object for each request, only for these
      // three fields to be picked from it.
      wrapSerializers: false,
      serializers: {
        req: (req: IncomingMessage & { id: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.originalUrl ?? req.url,
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    },
  };
}
