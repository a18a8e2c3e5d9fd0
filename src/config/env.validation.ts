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

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_EVENTS_PER_SESSION: number = 10_000;

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

  /** Requests per RATE_LIMIT_TTL_MS per API key (or client address); 0 disables the limit. */
  @IsInt()
  @Min(0)
  RATE_LIMIT_MAX: number = 6000;

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
  return env;
}
