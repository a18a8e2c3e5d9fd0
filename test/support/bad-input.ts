import type { Response } from 'supertest';
import { PROBLEMS, type ProblemCode } from '../../src/common/problem-codes';
import type { TestAgent } from './app';

/** One class of bad input: the request, and the problem it must be answered with. */
export interface BadInput {
  name: string;
  method?: 'post' | 'get';
  /** `:s` is replaced with the id of a session. */
  path: string;
  body?: unknown;
  /** Sent as is, with this content type. */
  raw?: { type: string; data: string };
  status: number;
  code: string;
  /** A field the problem's `errors` must name. */
  field?: string;
}

/** Sends the request of `c`, addressed to session `sessionId`. */
export function sendBadInput(
  http: TestAgent,
  c: BadInput,
  sessionId: string,
): Promise<Response> {
  const path = c.path.replace(':s', sessionId);
  let req = c.method === 'get' ? http.get(path) : http.post(path);
  if (c.raw) req = req.set('Content-Type', c.raw.type).send(c.raw.data);
  else if (c.body !== undefined) req = req.send(c.body as object);
  return req;
}

/** The answer is the RFC 9457 problem `c` expects, and leaks nothing of the database. */
export function expectProblemFor(
  res: Response,
  c: BadInput,
  sessionId: string,
): void {
  const path = c.path.replace(':s', sessionId);
  expect(res.status).toBe(c.status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/^urn:/),
    title: expect.any(String),
    status: c.status,
    detail: expect.any(String),
    instance: path.split('?')[0],
    code: c.code,
    requestId: res.headers['x-request-id'],
  });
  if (c.field) {
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: c.field })]),
    );
  }
  expect(JSON.stringify(res.body)).not.toMatch(/E11000|Mongo|stack/i);
}

/** A JSON object nested `levels` deep. */
export function deep(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) node = { n: node };
  return node;
}

/** Any 4xx: an RFC 9457 problem whose code the catalogue lists with this status. */
export function expectProblemDocument(res: Response): void {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = res.body as Record<string, unknown>;
  expect(problem).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^urn:problem-type:conversation-service:/),
      title: expect.any(String),
      status: res.status,
      detail: expect.any(String),
      instance: expect.any(String),
      code: expect.any(String),
      requestId: res.headers['x-request-id'],
    }),
  );
  expect(PROBLEMS[problem.code as ProblemCode]?.status).toBe(res.status);
}
