import type { ConfigService } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { Env } from '../config/env.validation';
import { routeTemplate } from './route-template';

const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's request id is echoed only if it is short and plain. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The caller's X-Request-Id when usable, else a new one; echoed on the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const supplied = req.headers[REQUEST_ID_HEADER];
  const id =
    typeof supplied === 'string' && SAFE_REQUEST_ID.test(supplied)
      ? supplied
      : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One JSON line per request: method, route, status, duration and request id.
 * Bodies, metadata and credentials are never logged.
 */
export function loggerOptions(config: ConfigService<Env, true>): Params {
  return {
    pinoHttp: {
      level: config.getOrThrow('LOG_LEVEL', { infer: true }),
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
