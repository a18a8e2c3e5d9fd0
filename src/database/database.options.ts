import type { ConfigService } from '@nestjs/config';
import type { ConnectOptions } from 'mongoose';
import type { Env } from '../config/env.validation';

/**
 * Connection options that fail fast: no command buffering while
 * disconnected, and a short server selection timeout, so a request during an
 * outage is answered 503 within two seconds instead of hanging.
 *
 * The request as a whole is bounded by DatabaseDeadlineInterceptor; the
 * driver's own timeouts, each set to the same bound, make sure that the work a
 * timed-out request leaves behind ends too: a round trip to a stalled server
 * (socketTimeoutMS, which closes that connection), a wait for a pooled
 * connection (waitQueueTimeoutMS), and the monitor's check of the server
 * (connectTimeoutMS), which then marks a stalled server unknown so that new
 * requests fail fast in server selection. The driver's `timeoutMS` is not
 * used: driver 7 accepts it but ignores it.
 */
export function mongooseOptions(
  config: ConfigService<Env, true>,
): ConnectOptions {
  const operationTimeoutMS = config.getOrThrow('MONGODB_OPERATION_TIMEOUT_MS', {
    infer: true,
  });
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
    socketTimeoutMS: operationTimeoutMS,
    waitQueueTimeoutMS: operationTimeoutMS,
    connectTimeoutMS: operationTimeoutMS,
  };
}
