import { ConfigService } from '@nestjs/config';
import { type Env, validateEnv } from '../../src/config/env.validation';

/**
 * Settings a test gives its app, named as the environment variables are.
 * Values may be strings, as in the environment, or numbers and booleans.
 */
export type TestConfig = { [K in keyof Env]?: string | number | boolean };

/**
 * Every test app starts from these: quiet, and with the optional settings
 * present but empty (authentication and CORS off), so that nothing falls
 * through to the test process's environment.
 */
const TEST_DEFAULTS: TestConfig = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  API_KEYS: '',
  CORS_ORIGINS: '',
};

/**
 * The ConfigService a test app runs with: the defaults above, then
 * `settings`, checked by validateEnv exactly as production checks its
 * environment (a bad setting fails the same way, naming the variable).
 *
 * The app's own ConfigService cannot be given settings after the fact:
 * ConfigModule.forRoot validates process.env when app.module.ts is imported
 * and keeps that result (and, with `cache: true`, caches later reads), so
 * test apps get this one in its place instead.
 */
export function testConfigService(
  settings: TestConfig,
): ConfigService<Env, true> {
  const env = validateEnv({ ...TEST_DEFAULTS, ...settings });
  return new ConfigService<Env, true>(env);
}
