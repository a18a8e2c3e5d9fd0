import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldError } from './api-error';
import { JSON_OBJECT_TOO_LARGE } from './validation';

/** `events` + `3` -> `events[3]`; `events[3]` + `eventId` -> `events[3].eventId`. */
function fieldOf(parent: string, property: string): string {
  if (!parent) return property;
  return /^\d+$/.test(property)
    ? `${parent}[${property}]`
    : `${parent}.${property}`;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = fieldOf(parent, error.property);
    const own = Object.entries(error.constraints ?? {}).map(
      ([constraint, message]) => ({
        field,
        // An array element that is not an object: say so at its index.
        message:
          constraint === 'nestedValidation' && field.endsWith(']')
            ? `${field} must be an object`
            : message,
      }),
    );
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function tooLarge(errors: ValidationError[]): boolean {
  return errors.some(
    (e) =>
      JSON_OBJECT_TOO_LARGE in (e.constraints ?? {}) ||
      tooLarge(e.children ?? []),
  );
}

/**
 * The one validation pipe: unknown fields are rejected, query strings are
 * converted to the DTO's types, and every failure becomes a problem that
 * names each bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const detail = fieldErrors.map((e) => e.message).join('; ');
      return tooLarge(errors)
        ? new ApiError('PAYLOAD_TOO_LARGE', detail, fieldErrors)
        : new ApiError('VALIDATION_FAILED', detail, fieldErrors);
    },
  });
}
