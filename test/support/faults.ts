import type { TestConfig } from './config';
import { FILE_DATABASE_URI } from './database';
import { proxyFor } from './tcp-proxy';

/** The bound the fault tests hold the app to: the default one, stated. */
export const OPERATION_TIMEOUT_MS = 2000;

/**
 * A proxy in front of this file's database, and the settings that make the
 * app reach the database through it, so a test can stall or break the
 * connection without touching the engine.
 */
export function faultProxy(settings: TestConfig = {}) {
  const proxy = proxyFor(FILE_DATABASE_URI);
  return {
    proxy,
    settings: {
      MONGODB_URI: proxy.uri,
      MONGODB_OPERATION_TIMEOUT_MS: OPERATION_TIMEOUT_MS,
      ...settings,
    } satisfies TestConfig,
  };
}
