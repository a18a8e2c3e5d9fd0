import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Stops only what global-setup started; a database that was already running stays up. */
export default async function globalTeardown(): Promise<void> {
  const database = globalThis.__TEST_DATABASE__;
  if (!database) return;
  if (database.memoryServer) await database.memoryServer.stop();
  if (database.startedEngine) {
    execFileSync(
      'bash',
      [join(__dirname, '..', '..', 'scripts', 'db-stop.sh')],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
}
