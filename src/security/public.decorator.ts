import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Routes that answer without an API key: health and metrics, for probes and scrapers. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
