import { ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { ApiComposedOf, composeSchemas } from './composition';
import {
  collapseSingleAllOf,
  declarePublicOperations,
  declareResponseHeaders,
  PUBLIC_OPERATION,
  withJsonSchemaNulls,
} from './document';

class Left {
  @ApiProperty() a: string;
}
class Right {
  @ApiProperty() b: string;
}
@ApiComposedOf(Left, Right)
class Both {}

function documentWith(operation: object): OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: { '/x': { get: operation } },
  } as OpenAPIObject;
}

describe('OpenAPI document passes', () => {
  describe('withJsonSchemaNulls()', () => {
    it('writes nullable as a "null" type, marked for generators that merge allOf', () => {
      const schema = { type: 'string', format: 'date-time', nullable: true };
      withJsonSchemaNulls({ properties: { endedAt: schema } });
      expect(schema).toEqual({
        type: ['string', 'null'],
        format: 'date-time',
        'x-nullable': true,
      });
    });

    it('writes a nullable reference as an alternative with "null"', () => {
      const schema: Record<string, unknown> = {
        $ref: '#/components/schemas/X',
        nullable: true,
      };
      withJsonSchemaNulls(schema);
      expect(schema).toEqual({
        anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }],
        'x-nullable': true,
      });
    });

    it('leaves examples alone', () => {
      const schema = { type: 'object', example: { nullable: true } };
      withJsonSchemaNulls(schema);
      expect(schema).toEqual({ type: 'object', example: { nullable: true } });
    });
  });

  describe('collapseSingleAllOf()', () => {
    it('turns a one-$ref allOf with annotations into the $ref itself', () => {
      const schema = {
        allOf: [{ $ref: '#/components/schemas/JsonObject' }],
        additionalProperties: true,
        description: 'Free-form.',
      };
      collapseSingleAllOf({ properties: { metadata: schema } });
      expect(schema).toEqual({
        $ref: '#/components/schemas/JsonObject',
        description: 'Free-form.',
      });
    });

    it('keeps an allOf whose siblings constrain the value', () => {
      const schema = {
        allOf: [{ $ref: '#/components/schemas/JsonObject' }],
        maxProperties: 3,
      };
      collapseSingleAllOf(schema);
      expect(schema.allOf).toHaveLength(1);
    });
  });

  describe('declareResponseHeaders()', () => {
    it('declares X-Request-Id on every response and Retry-After on 429 and 503', () => {
      const document = documentWith({
        responses: { 200: { description: 'ok' }, 429: {}, 503: {} },
      });
      declareResponseHeaders(document);
      const responses = document.paths['/x'].get!.responses as Record<
        number,
        { headers?: object }
      >;
      expect(Object.keys(responses[200].headers ?? {})).toEqual([
        'X-Request-Id',
      ]);
      for (const status of [429, 503]) {
        expect(responses[status].headers).toEqual({
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
          'Retry-After': { $ref: '#/components/headers/Retry-After' },
        });
      }
    });
  });

  describe('declarePublicOperations()', () => {
    it('gives marked operations an empty security requirement', () => {
      const document = documentWith({
        responses: {},
        [PUBLIC_OPERATION]: true,
      });
      declarePublicOperations(document);
      expect(document.paths['/x'].get).toEqual({ responses: {}, security: [] });
    });
  });

  describe('composeSchemas()', () => {
    const part = (name: string) => ({
      type: 'object',
      properties: { [name]: { type: 'string' } },
    });

    it('replaces a composed schema by allOf its parts', () => {
      const schemas = {
        Left: part('a'),
        Right: part('b'),
        Both: { type: 'object', properties: { a: {}, b: {} } },
      };
      composeSchemas(schemas);
      expect(schemas.Both).toEqual({
        allOf: [
          { $ref: '#/components/schemas/Left' },
          { $ref: '#/components/schemas/Right' },
        ],
      });
      expect(Both).toBeDefined();
    });

    it('refuses a composed schema whose properties drifted from its parts', () => {
      const schemas = {
        Left: part('a'),
        Right: part('b'),
        Both: { type: 'object', properties: { a: {}, b: {}, c: {} } },
      };
      expect(() => composeSchemas(schemas)).toThrow(/Both has properties/);
    });
  });
});
