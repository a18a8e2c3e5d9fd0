import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { DEFAULT_MAX_BATCH_EVENTS } from '../sessions/rules/limits';

// Reads the raw string: implicit conversion would turn "false" into true.
const toBoolean = ({
  obj,
  key,
}: {
  obj: Record<string, unknown>;
  key: string;
}) => {
  const raw = obj[key];
  if (raw === undefined || raw === '') return false;
  return raw === 'true' ? true : raw === 'false' ? false : raw;
};

/**
 * Every environment variable the service reads, with its default. Parsed and
 * checked once at start: a bad value stops the process with a message naming
 * the variable, instead of surfacing later as odd behaviour.
 */
export class Env {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  MONGODB_URI: string;

  /** Server selection timeout: how long a request waits for an unreachable database. */
  @IsInt()
  @Min(100)
  @Max(30000)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: number = 1000;

  @IsInt()
  @Min(1)
  @Max(500)
  MONGODB_MAX_POOL_SIZE: number = 50;

  /**
   * The bound on one request's database work, retries included: past it the
   * request is answered 503 DATABASE_UNAVAILABLE.
   */
  @IsInt()
  @Min(500)
  @Max(60_000)
  MONGODB_OPERATION_TIMEOUT_MS: number = 2000;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_EVENTS_PER_SESSION: number = 10_000;

  /** Most events one batch append may carry (the body must also fit MAX_BODY_BYTES). */
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_BATCH_EVENTS: number = DEFAULT_MAX_BATCH_EVENTS;

  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  MAX_BODY_BYTES: number = 1024 * 1024;

  @IsInt()
  @Min(64)
  @Max(8 * 1024 * 1024)
  MAX_EVENT_PAYLOAD_BYTES: number = 64 * 1024;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Comma-separated API keys; empty means authentication is off. */
  @IsOptional()
  @IsString()
  API_KEYS?: string;

  @Transform(toBoolean)
  @IsBoolean()
  AUTH_DISABLED: boolean = false;

  @IsInt()
  @Min(1)
  RATE_LIMIT_TTL_MS: number = 60_000;

  /**
   * Requests per RATE_LIMIT_TTL_MS per API key (or client address); 0 disables
   * the limit. The default, 1,000 per second, is above what one instance
   * serves: it stops a runaway caller, not a busy voice backend.
   */
  @IsInt()
  @Min(0)
  RATE_LIMIT_MAX: number = 60_000;

  /** Requests served at once; past it 503 SERVICE_OVERLOADED. 0 disables the cap. */
  @IsInt()
  @Min(0)
  MAX_IN_FLIGHT_REQUESTS: number = 500;

  /**
   * How long an idle keep-alive connection stays open. Above the idle timeout
   * of the load balancers in front (AWS ALB 60 s, GCP 600 s: raise it there),
   * so that the balancer, not the service, closes idle connections and never
   * sends a request on one the service is closing.
   */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;

  /** How long a client may take to send a request's headers; must exceed HTTP_KEEP_ALIVE_TIMEOUT_MS. */
  @IsInt()
  @Min(1000)
  @Max(3_600_001)
  HTTP_HEADERS_TIMEOUT_MS: number = 66_000;

  /** Comma-separated allowed origins; empty means CORS is off. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY: boolean = false;

  /** Event streams (GET /sessions/{id}/stream) open at once on this instance; beyond: 503. */
  @IsInt()
  @Min(0)
  @Max(100_000)
  MAX_STREAMS: number = 1000;

  /** How often each watched session is read for new events (ms): the tail's latency and cost. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  STREAM_POLL_INTERVAL_MS: number = 250;

  /** How often an idle stream gets a comment line, so that proxies keep it open (ms). */
  @IsInt()
  @Min(50)
  @Max(300_000)
  STREAM_HEARTBEAT_MS: number = 15_000;

  /** How long streams wait for a database that fails or does not answer before they end (ms). */
  @IsInt()
  @Min(100)
  @Max(600_000)
  STREAM_STALL_TIMEOUT_MS: number = 10_000;
}

export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, {
    enableImplicitConversion: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  if (
    env.NODE_ENV === 'production' &&
    !env.API_KEYS?.trim() &&
    !env.AUTH_DISABLED
  ) {
    throw new Error(
      'Invalid environment configuration:\n  API_KEYS is empty in production; set API_KEYS, or AUTH_DISABLED=true to run without authentication on purpose.',
    );
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_KEEP_ALIVE_TIMEOUT_MS) {
    throw new Error(
      `Invalid environment configuration:\n  HTTP_HEADERS_TIMEOUT_MS=${env.HTTP_HEADERS_TIMEOUT_MS} must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS=${env.HTTP_KEEP_ALIVE_TIMEOUT_MS}.`,
    );
  }
  return env;
}
