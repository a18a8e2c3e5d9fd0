import { FILE_DATABASE_URI } from './database';

/**
 * Runs before each e2e file (jest setupFiles). ConfigModule.forRoot validates
 * process.env once, when app.module.ts is first imported, so the process must
 * hold a valid environment by then. The apps a test starts do not read it:
 * createTestApp gives each one its configuration explicitly.
 */
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = 'silent';
process.env.MONGODB_URI = FILE_DATABASE_URI;
