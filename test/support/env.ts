import { randomBytes } from 'node:crypto';

/**
 * Runs before each e2e file's imports (jest setupFiles): the app's
 * configuration is read when AppModule is first imported, so it must be in
 * place by then. Each file gets a database of its own. A file that needs other
 * settings assigns them in a module it imports before AppModule.
 */
const base = process.env.TEST_DATABASE_URI;
if (!base) {
  throw new Error(
    'TEST_DATABASE_URI is not set: run the e2e tests through jest (global-setup)',
  );
}
const uri = new URL(base);
uri.pathname = `/test_${randomBytes(6).toString('hex')}`;

process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = 'silent';
process.env.MONGODB_URI = uri.toString();
