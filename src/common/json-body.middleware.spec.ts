import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import type { Env } from '../config/env.validation';
import { ApiError } from './api-error';
import { JsonBodyMiddleware } from './json-body.middleware';

const LIMIT = 1024;

interface Sent {
  method?: string;
  contentType?: string;
  /** The raw body; none when undefined. */
  data?: string;
  headers?: Record<string, string>;
}

/** Runs the middleware on one request; resolves with what it passed on. */
function parse({
  method = 'POST',
  contentType = 'application/json',
  data,
  headers = {},
}: Sent): Promise<{ error?: ApiError; body?: unknown }> {
  const middleware = new JsonBodyMiddleware(
    new ConfigService<Env, true>({ MAX_BODY_BYTES: LIMIT }),
  );
  const stream = Readable.from(data === undefined ? [] : [Buffer.from(data)]);
  const req = Object.assign(stream, {
    method,
    url: '/sessions',
    headers: {
      ...(data === undefined
        ? {}
        : {
            'content-type': contentType,
            'content-length': String(Buffer.byteLength(data)),
          }),
      ...headers,
    },
  }) as unknown as Request;
  return new Promise((resolve) => {
    middleware.use(req, {} as Response, (error?: unknown) =>
      resolve({ error: error as ApiError | undefined, body: req.body }),
    );
  });
}

describe('JsonBodyMiddleware', () => {
  it('passes a JSON object on as the body', async () => {
    await expect(parse({ data: '{"a":[1,{"b":null}]}' })).resolves.toEqual({
      error: undefined,
      body: { a: [1, { b: null }] },
    });
  });

  it('accepts the +json media types', async () => {
    const { body } = await parse({
      data: '{"a":1}',
      contentType: 'application/merge-patch+json',
    });
    expect(body).toEqual({ a: 1 });
  });

  it.each(['POST', 'GET'])(
    'gives a %s without a body {}, so that optional bodies validate',
    async (method) => {
      await expect(parse({ method })).resolves.toEqual({
        error: undefined,
        body: {},
      });
    },
  );

  it.each([
    ['malformed JSON', '{"sessionId": "a",'],
    ['a JSON string (only objects and arrays are bodies)', '"hello"'],
    ['two JSON documents', '{"a":1}{"b":2}'],
  ])('refuses %s as MALFORMED_JSON', async (_, data) => {
    const { error } = await parse({ data });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'MALFORMED_JSON',
      detail: 'The request body is not valid JSON.',
    });
  });

  it('refuses a body over MAX_BODY_BYTES as PAYLOAD_TOO_LARGE, naming the limit', async () => {
    const { error } = await parse({
      data: JSON.stringify({ x: 'a'.repeat(LIMIT) }),
    });
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: `The request body is larger than ${LIMIT} bytes.`,
    });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the key %s at any depth, naming it',
    async (key) => {
      const { error } = await parse({ data: `{"a":[{"${key}":{"b":1}}]}` });
      expect(error).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: `The key "${key}" is not allowed anywhere in a body.`,
        errors: [{ field: key, message: 'is a reserved key' }],
      });
    },
  );

  it('leaves Object.prototype alone when refusing __proto__', async () => {
    await parse({ data: '{"__proto__":{"polluted":1}}' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
  ])(
    'refuses a body sent as %s with UNSUPPORTED_MEDIA_TYPE, naming its type',
    async (_, contentType) => {
      const { error } = await parse({ data: 'sessionId=a', contentType });
      expect(error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: `Content-Type ${contentType} is not supported; send application/json.`,
      });
    },
  );

  it('refuses a body without a Content-Type with UNSUPPORTED_MEDIA_TYPE', async () => {
    const { error } = await parse({
      data: '{}',
      headers: { 'content-type': '' },
    });
    expect(error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    [
      'a charset other than UTF-8',
      { 'content-type': 'application/json; charset=latin1' },
    ],
    ['an unknown content encoding', { 'content-encoding': 'compress' }],
  ])('refuses %s with UNSUPPORTED_MEDIA_TYPE', async (_, headers) => {
    const { error } = await parse({ data: '{"a":1}', headers });
    expect(error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: "The body's charset or encoding is not supported.",
    });
  });
});
