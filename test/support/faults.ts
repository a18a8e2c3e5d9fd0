import { type TestApp, useTestApp } from './app';
import type { TestConfig } from './config';
import { FILE_DATABASE_URI } from './database';
import { proxyFor, TcpProxy } from './tcp-proxy';

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

/**
 * One app for the enclosing describe block whose database is behind `db`, a
 * proxy the tests can stall or break: the proxy starts before the app, any
 * fault left on is lifted before the app closes, and the proxy stops last.
 */
export function useAppBehindProxy(settings: TestConfig = {}): {
  db: TcpProxy;
  t: TestApp;
} {
  const { proxy, settings: behindProxy } = faultProxy(settings);
  const db = new TcpProxy(proxy.port, proxy.target);
  beforeAll(() => db.start());
  afterAll(() => db.restore());
  const t = useTestApp(behindProxy);
  afterAll(() => db.stop());
  return { db, t };
}
