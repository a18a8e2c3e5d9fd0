import {
  startDatabase,
  type StartedDatabase,
} from '../../scripts/lib/database';

/**
 * Chooses the database the e2e suite runs against (scripts/lib/database.ts,
 * shared with `npm run dev`); global-teardown stops whatever it started.
 */

declare global {
  var __TEST_DATABASE__: StartedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  const database = await startDatabase();
  globalThis.__TEST_DATABASE__ = database;
  process.env.TEST_DATABASE_URI = database.uri;
  process.env.TEST_DATABASE_KIND = database.kind;
  console.log(`\ne2e database: ${database.kind} at ${database.uri}`);
}
