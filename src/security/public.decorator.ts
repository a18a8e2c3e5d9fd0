import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_OPERATION } from '../common/openapi/document';

export const IS_PUBLIC = 'isPublic';

/**
 * Routes that answer without an API key: health and metrics, for probes and
 * scrapers. Their OpenAPI operations say so (`security: []`).
 */
export const Public = () =>
  applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    ApiExtension(PUBLIC_OPERATION, true),
  );
