// Nest loads it before any configuration is read; this spec loads no Nest.
import 'reflect-metadata';
import { validateEnv } from './env.validation';

const REQUIRED = { MONGODB_URI: 'mongodb://127.0.0.1:27017/conversations' };

function failure(raw: Record<string, unknown>): string {
  try {
    validateEnv(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`validateEnv accepted ${JSON.stringify(raw)}`);
}

describe('validateEnv()', () => {
  it('fills in every default when only MONGODB_URI is set', () => {
    expect({ ...validateEnv(REQUIRED) }).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      MONGODB_URI: REQUIRED.MONGODB_URI,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: 1000,
      MONGODB_MAX_POOL_SIZE: 50,
      MONGODB_OPERATION_TIMEOUT_MS: 2000,
      MAX_EVENTS_PER_SESSION: 10_000,
      MAX_BODY_BYTES: 1024 * 1024,
      MAX_EVENT_PAYLOAD_BYTES: 64 * 1024,
      MAX_BATCH_EVENTS: 500,
      MAX_STREAMS: 1000,
      STREAM_POLL_INTERVAL_MS: 250,
      STREAM_HEARTBEAT_MS: 15_000,
      STREAM_STALL_TIMEOUT_MS: 10_000,
      LOG_LEVEL: 'info',
      AUTH_DISABLED: false,
      RATE_LIMIT_TTL_MS: 60_000,
      RATE_LIMIT_MAX: 60_000,
      MAX_IN_FLIGHT_REQUESTS: 500,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      HTTP_HEADERS_TIMEOUT_MS: 66_000,
      TRUST_PROXY: false,
    });
  });

  it('converts the strings of the environment to numbers and booleans', () => {
    const env = validateEnv({
      ...REQUIRED,
      PORT: '8080',
      MAX_EVENTS_PER_SESSION: '20',
      RATE_LIMIT_MAX: '0',
      TRUST_PROXY: 'true',
      AUTH_DISABLED: 'false',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      MAX_EVENTS_PER_SESSION: 20,
      RATE_LIMIT_MAX: 0,
      TRUST_PROXY: true,
      AUTH_DISABLED: false,
    });
  });

  it('reads an empty boolean as false', () => {
    expect(validateEnv({ ...REQUIRED, TRUST_PROXY: '' }).TRUST_PROXY).toBe(
      false,
    );
  });

  it('keeps the optional lists as given', () => {
    const env = validateEnv({
      ...REQUIRED,
      API_KEYS: 'a, b',
      CORS_ORIGINS: 'https://example.org',
    });
    expect(env.API_KEYS).toBe('a, b');
    expect(env.CORS_ORIGINS).toBe('https://example.org');
  });

  it('requires MONGODB_URI', () => {
    expect(failure({})).toMatch(/^ {2}MONGODB_URI=undefined: /m);
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['PORT', 'not-a-port'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['MONGODB_SERVER_SELECTION_TIMEOUT_MS', '99'],
    ['MONGODB_SERVER_SELECTION_TIMEOUT_MS', '30001'],
    ['MONGODB_MAX_POOL_SIZE', '0'],
    ['MONGODB_MAX_POOL_SIZE', '501'],
    ['MAX_EVENTS_PER_SESSION', '0'],
    ['MAX_EVENTS_PER_SESSION', '1000001'],
    ['MAX_BODY_BYTES', '1023'],
    ['MAX_BODY_BYTES', String(16 * 1024 * 1024 + 1)],
    ['MAX_EVENT_PAYLOAD_BYTES', '63'],
    ['MAX_EVENT_PAYLOAD_BYTES', String(8 * 1024 * 1024 + 1)],
    ['LOG_LEVEL', 'verbose'],
    ['AUTH_DISABLED', 'yes'],
    ['AUTH_DISABLED', '1'],
    ['RATE_LIMIT_TTL_MS', '0'],
    ['RATE_LIMIT_MAX', '-1'],
    ['TRUST_PROXY', 'TRUE'],
  ])('refuses %s=%j, naming the variable', (name, value) => {
    const message = failure({ ...REQUIRED, [name]: value });
    expect(message).toMatch(/^Invalid environment configuration:\n/);
    expect(message).toContain(`  ${name}=`);
  });

  it('shows the value it refused, as converted', () => {
    expect(failure({ ...REQUIRED, PORT: '65536' })).toContain(
      'PORT=65536: PORT must not be greater than 65535',
    );
    expect(failure({ ...REQUIRED, LOG_LEVEL: 'loud' })).toContain(
      'LOG_LEVEL="loud"',
    );
  });

  it('names every bad variable at once', () => {
    const message = failure({ ...REQUIRED, PORT: 'x', LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT=');
    expect(message).toContain('LOG_LEVEL=');
  });

  describe('in production', () => {
    const PRODUCTION = { ...REQUIRED, NODE_ENV: 'production' };

    it.each([
      ['unset', {}],
      ['empty', { API_KEYS: '' }],
      ['blank', { API_KEYS: '   ' }],
    ])('refuses to start with API_KEYS %s', (_, keys) => {
      expect(failure({ ...PRODUCTION, ...keys })).toMatch(
        /API_KEYS is empty in production; set API_KEYS, or AUTH_DISABLED=true/,
      );
    });

    it('starts with API keys', () => {
      expect(validateEnv({ ...PRODUCTION, API_KEYS: 'k1' }).NODE_ENV).toBe(
        'production',
      );
    });

    it('starts without API keys when AUTH_DISABLED=true says so on purpose', () => {
      expect(
        validateEnv({ ...PRODUCTION, AUTH_DISABLED: 'true' }).AUTH_DISABLED,
      ).toBe(true);
    });
  });

  it('does not require API_KEYS outside production', () => {
    expect(() => validateEnv({ ...REQUIRED, NODE_ENV: 'test' })).not.toThrow();
  });

  describe('production defaults', () => {
    it('fit server-to-server traffic behind a load balancer', () => {
      expect(validateEnv(REQUIRED)).toMatchObject({
        MONGODB_OPERATION_TIMEOUT_MS: 2000,
        RATE_LIMIT_MAX: 60_000,
        RATE_LIMIT_TTL_MS: 60_000,
        MAX_IN_FLIGHT_REQUESTS: 500,
        HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
        HTTP_HEADERS_TIMEOUT_MS: 66_000,
      });
    });

    it('refuses a headers timeout that does not exceed the keep-alive timeout', () => {
      expect(
        failure({
          ...REQUIRED,
          HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000',
          HTTP_HEADERS_TIMEOUT_MS: '66000',
        }),
      ).toMatch(/HTTP_HEADERS_TIMEOUT_MS=66000 must be greater/);
    });

    it('refuses an operation timeout too short to reach a database', () => {
      expect(
        failure({ ...REQUIRED, MONGODB_OPERATION_TIMEOUT_MS: '50' }),
      ).toMatch(/MONGODB_OPERATION_TIMEOUT_MS/);
    });
  });
});
