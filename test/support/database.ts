import { randomBytes } from 'node:crypto';

/**
 * This e2e file's own database on the engine global-setup chose: a fresh
 * name per file, so files never see each other's sessions.
 */
function fileDatabaseUri(): string {
  const base = process.env.TEST_DATABASE_URI;
  if (!base) {
    throw new Error(
      'TEST_DATABASE_URI is not set: run the e2e tests through jest (global-setup)',
    );
  }
  const uri = new URL(base);
  uri.pathname = `/test_${randomBytes(6).toString('hex')}`;
  return uri.toString();
}

export const FILE_DATABASE_URI = fileDatabaseUri();
