import type { ConfigService } from '@nestjs/config';
import type { ConnectOptions } from 'mongoose';
import type { Env } from '../config/env.validation';

/**
 * Connection options that fail fast: no command buffering while
 * disconnected, and a short server selection timeout, so a request during an
 * outage is answered 503 within two seconds instead of hanging.
 */
export function mongooseOptions(
  config: ConfigService<Env, true>,
): ConnectOptions {
  return {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: config.getOrThrow(
      'MONGODB_SERVER_SELECTION_TIMEOUT_MS',
      {
        infer: true,
      },
    ),
    maxPoolSize: config.getOrThrow('MONGODB_MAX_POOL_SIZE', { infer: true }),
    // Notice a lost or returning database within seconds, not the default ten.
    heartbeatFrequencyMS: 2000,
    writeConcern: { w: 'majority' },
  };
}
