import type { Type } from '@nestjs/common';
import {
  getSchemaPath,
  type ReferenceObject,
  type SchemaObject,
} from '@nestjs/swagger';

const COMPOSITIONS = new Map<Type<unknown>, Type<unknown>[]>();

const schemaName = (type: Type<unknown>): string =>
  getSchemaPath(type).split('/').at(-1)!;

/**
 * Documents a class as `allOf` its parts instead of a copy of their
 * properties (TypeScript still declares the fields). The document fails to
 * build if the class's properties are not exactly the parts' ones.
 */
export function ApiComposedOf(...parts: Type<unknown>[]): ClassDecorator {
  return (target) => {
    COMPOSITIONS.set(target as unknown as Type<unknown>, parts);
  };
}

/** Replaces each composed class's schema in `schemas` by its `allOf`. */
export function composeSchemas(
  schemas: Record<string, SchemaObject | ReferenceObject>,
): void {
  const properties = (name: string): string[] => {
    const schema = schemas[name];
    if (!schema || '$ref' in schema) {
      throw new Error(`OpenAPI: no schema ${name} to compose`);
    }
    return Object.keys(schema.properties ?? {});
  };
  for (const [type, parts] of COMPOSITIONS) {
    const name = schemaName(type);
    if (!(name in schemas)) continue;
    const partNames = parts.map(schemaName);
    const own = properties(name).sort().join();
    const composed = partNames.flatMap(properties).sort().join();
    if (own !== composed) {
      throw new Error(
        `OpenAPI: ${name} has properties [${own}], not those of ${partNames.join(' + ')} [${composed}]`,
      );
    }
    const { description } = schemas[name] as SchemaObject;
    schemas[name] = {
      ...(description ? { description } : {}),
      allOf: parts.map((part) => ({ $ref: getSchemaPath(part) })),
    };
  }
}
