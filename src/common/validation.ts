import { Transform } from 'class-transformer';
import {
  isISO8601,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

/** Ids chosen by callers: sessionId and eventId. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const ID_DESCRIPTION =
  '1 to 128 characters from [A-Za-z0-9._:@-], starting with a letter or digit';

const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 date-time with an explicit zone (`Z` or an offset), and a real calendar date. */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          ISO_WITH_ZONE.test(value) &&
          isISO8601(value, { strict: true }) &&
          !Number.isNaN(Date.parse(value)),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00.000Z`,
      },
    });
}

export interface JsonObjectLimits {
  maxDepth: number;
  /** Size of the object serialized as JSON; over it the request is answered 413. */
  maxBytes?: number;
}

/** Constraint name that the validation pipe answers with 413 instead of 400. */
export const JSON_OBJECT_TOO_LARGE = 'jsonObjectTooLarge';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function badKey(key: string): string | undefined {
  if (key.startsWith('$')) return 'starts with "$"';
  if (key.includes('.')) return 'contains "."';
  if (key.includes('\0')) return 'contains NUL';
  if (FORBIDDEN_KEYS.has(key)) return 'is reserved';
  if (!key.isWellFormed()) return 'is not well-formed Unicode';
  return undefined;
}

/**
 * Why `value` is not a JSON object that can be stored as it is (depth, key
 * names, strings), or undefined when it can. Iterative, so hostile nesting
 * cannot exhaust the stack.
 */
export function jsonObjectProblem(
  value: unknown,
  maxDepth: number,
): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be a JSON object';
  }
  const stack: Array<{ node: unknown; path: string; depth: number }> = [
    { node: value, path: '', depth: 1 },
  ];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      if (!node.isWellFormed()) return `${path} is not well-formed Unicode`;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) return `nests deeper than ${maxDepth} levels`;
    if (Array.isArray(node)) {
      node.forEach((item, i) =>
        stack.push({ node: item, path: `${path}[${i}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const key of Object.keys(node)) {
      const problem = badKey(key);
      if (problem) return `key "${path}${path ? '.' : ''}${key}" ${problem}`;
      stack.push({
        node: (node as Record<string, unknown>)[key],
        path: `${path}${path ? '.' : ''}${key}`,
        depth: depth + 1,
      });
    }
  }
  return undefined;
}

export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * A plain JSON object safe to store: no `$` or dotted keys, no prototype keys,
 * bounded depth and, optionally, bounded size. Reads the raw request value, so
 * class-transformer never gets to interpret keys such as `__proto__`.
 */
export function IsJsonObject(
  limits: JsonObjectLimits,
  options?: ValidationOptions,
): PropertyDecorator {
  const rawValue = Transform(
    ({ obj, key }: { obj: Record<string, unknown>; key: string }) => obj[key],
  );
  return (target, propertyName) => {
    rawValue(target, propertyName);
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          jsonObjectProblem(value, limits.maxDepth) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${jsonObjectProblem(args.value, limits.maxDepth)}`,
      },
    });
    if (limits.maxBytes !== undefined) {
      const maxBytes = limits.maxBytes;
      registerDecorator({
        name: JSON_OBJECT_TOO_LARGE,
        target: target.constructor,
        propertyName: propertyName as string,
        options,
        validator: {
          validate: (value: unknown) =>
            typeof value !== 'object' || jsonByteLength(value) <= maxBytes,
          defaultMessage: (args: ValidationArguments) =>
            `${args.property} must serialize to at most ${maxBytes} bytes of JSON`,
        },
      });
    }
  };
}
