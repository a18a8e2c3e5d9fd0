import { Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  json,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { Env } from '../config/env.validation';
import { ApiError } from './api-error';
import { RESERVED_KEYS } from './validation';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Keys that name parts of the object model. No field of the API uses them, and
 * class-transformer would interpret them while building DTOs (crashing on
 * `constructor`, re-prototyping on `__proto__`), so they are refused while
 * parsing, before anything else sees the body.
 */

/** Carries the key in its message: body-parser strips other own properties off parse errors. */
class ReservedKeyError extends Error {}

function refuseReservedKeys(key: string, value: unknown): unknown {
  if (RESERVED_KEYS.has(key)) throw new ReservedKeyError(key);
  return value;
}

/**
 * The JSON body parser, with the configured size limit. A body that is not
 * JSON is refused (415) instead of silently parsed as empty, and a request
 * without a body gets `{}` so that optional bodies validate.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(config: ConfigService<Env, true>) {
    this.parse = json({
      limit: config.getOrThrow('MAX_BODY_BYTES', { infer: true }),
      type: ['application/json', 'application/*+json'],
      strict: true,
      reviver: refuseReservedKeys,
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, (error?: unknown) => {
      if (error) return next(bodyError(error));
      if (
        req.body === undefined &&
        BODY_METHODS.has(req.method) &&
        hasBody(req)
      ) {
        return next(
          new ApiError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported; send application/json.`,
          ),
        );
      }
      req.body ??= {};
      next();
    });
  }
}

/** Body-parser failures carry a `type`; each becomes the problem it stands for. */
function bodyError(error: unknown): ApiError {
  if (error instanceof ReservedKeyError) {
    const key = error.message;
    return new ApiError(
      'VALIDATION_FAILED',
      `The key "${key}" is not allowed anywhere in a body.`,
      [{ field: key, message: 'is a reserved key' }],
    );
  }
  const type = (error as { type?: unknown }).type;
  switch (type) {
    case 'entity.parse.failed':
      return new ApiError(
        'MALFORMED_JSON',
        'The request body is not valid JSON.',
      );
    case 'entity.too.large':
      return new ApiError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than ${(error as { limit?: number }).limit} bytes.`,
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        "The body's charset or encoding is not supported.",
      );
    default:
      return new ApiError(
        'VALIDATION_FAILED',
        'The request body could not be read.',
      );
  }
}

function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0
  );
}
