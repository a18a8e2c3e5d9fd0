import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';

/**
 * Just enough of Express's request and response for an exception filter:
 * the request's path and routes, and what the filter sent.
 */

/** What the filter sent: status, headers and the parsed body. */
export interface Sent {
  status?: number;
  type?: string;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface Route {
  path: string;
  methods: string[];
}

export function fakeRequest(
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

/** Runs `filter` on `exception` thrown while answering `request`; returns what it sent. */
export function catchWith(
  filter: ExceptionFilter,
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
