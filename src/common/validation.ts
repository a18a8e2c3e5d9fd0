import { Transform } from 'class-transformer';
import {
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

/** Ids chosen by callers: sessionId and eventId. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const ID_DESCRIPTION =
  '1 to 128 characters from [A-Za-z0-9._:@-], starting with a letter or digit';

const ISO_WITH_ZONE =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?(?:Z|[+-]([0-9]{2}):?([0-9]{2}))$/i;
/** The instants toISOString() writes as RFC 3339: years 0000 to 9999 in UTC. */
const FIRST_INSTANT = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST_INSTANT = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * An ISO 8601 / RFC 3339 date-time with an explicit zone (`Z` or an offset),
 * of a real calendar date and time (any year 0000-9999), whose instant is
 * itself within years 0000-9999 in UTC, so that it reads back as RFC 3339.
 */
export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_WITH_ZONE.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] =
    match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const instant = Date.parse(value);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59 &&
    instant >= FIRST_INSTANT &&
    instant <= LAST_INSTANT
  );
}

/** An ISO 8601 date-time with an explicit zone (`Z` or an offset), and a real calendar date. */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: isIsoDateTime,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00.000Z`,
      },
    });
}

/**
 * A string of well-formed Unicode: no lone surrogates, which a BSON (UTF-8)
 * string cannot hold, so that what is stored is what was sent.
 */
export function IsWellFormedString(
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWellFormedString',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || value.isWellFormed(),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be well-formed Unicode (no lone surrogates)`,
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

/** Keys that name parts of JavaScript's object model: refused anywhere in a body. */
export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function badKey(key: string): string | undefined {
  if (key.startsWith('$')) return 'starts with "$"';
  if (key.includes('.')) return 'contains "."';
  if (key.includes('\0')) return 'contains NUL';
  if (RESERVED_KEYS.has(key)) return 'is reserved';
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

/**
 * The OpenAPI schema of the objects jsonObjectProblem() admits (depth and
 * size aside), for metadata and payloads in requests and responses alike:
 * one open object, not a recursive JSON-value union, which client generators
 * turn into a plain map. `propertyNames` states the key rules for the top
 * level; the description says they hold at every level.
 * createOpenApiDocument() adds it to the components.
 */
export const JSON_OBJECT_SCHEMAS = {
  JsonObject: {
    type: 'object',
    description:
      'A free-form JSON object (any JSON values, nested objects and arrays) whose keys, at every level, neither start with "$" nor contain "." or NUL, and are not __proto__, constructor or prototype.',
    propertyNames: {
      pattern: '^([^$.\\u0000][^.\\u0000]*)?$',
      not: { enum: [...RESERVED_KEYS] },
    },
    additionalProperties: true,
  },
};
export const JSON_OBJECT_REF = '#/components/schemas/JsonObject';

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
