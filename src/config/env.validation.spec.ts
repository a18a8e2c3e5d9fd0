import 'reflect-metadata';
import { validateEnv } from './env.validation';

const base = { MONGODB_URI: 'mongodb://db/test' };

describe('validateEnv()', () => {
  it('defaults to limits that fit server-to-server traffic behind a load balancer', () => {
    const env = validateEnv(base);
    expect(env).toMatchObject({
      MONGODB_OPERATION_TIMEOUT_MS: 2000,
      RATE_LIMIT_MAX: 60_000,
      RATE_LIMIT_TTL_MS: 60_000,
      MAX_IN_FLIGHT_REQUESTS: 500,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      HTTP_HEADERS_TIMEOUT_MS: 66_000,
    });
  });

  it('refuses a headers timeout that does not exceed the keep-alive timeout', () => {
    expect(() =>
      validateEnv({
        ...base,
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000',
        HTTP_HEADERS_TIMEOUT_MS: '66000',
      }),
    ).toThrow(/HTTP_HEADERS_TIMEOUT_MS=66000 must be greater/);
  });

  it('refuses an operation timeout too short to reach a database', () => {
    expect(() =>
      validateEnv({ ...base, MONGODB_OPERATION_TIMEOUT_MS: '50' }),
    ).toThrow(/MONGODB_OPERATION_TIMEOUT_MS/);
  });
});
