/**
 * `npm run dev`: the service in watch mode, with pretty logs, on the database
 * the tests would choose (scripts/lib/database.ts): MONGODB_URI, else an
 * in-memory mongod, else the offline engine (which keeps running afterwards;
 * `npm run db:stop` stops it).
 *
 * SIGINT, SIGTERM or SIGHUP stops the whole tree, and so does the end of the
 * process that started this one (npm's shell passes no signal on):
 * - the signal goes to `nest start --watch`, run without a shell so that it
 *   passes the signal to the app itself and exits once the app has shut down;
 * - the tree runs in a process group of its own, killed once the CLI has
 *   exited (nothing may outlive it) or after a grace period;
 * - on Windows, which has no signals, tree-kill ends the tree (taskkill /T).
 */
import { spawn } from 'node:child_process';
import treeKill from 'tree-kill';
import {
  startDatabase,
  withDatabaseName,
  type StartedDatabase,
} from './lib/database';

const DATABASE_NAME = 'conversation';
const GRACE_MS = 10_000;

function log(message: string): void {
  console.error(`[dev] ${message}`);
}

async function main(): Promise<void> {
  const database: StartedDatabase = await startDatabase();
  const uri =
    database.kind === 'external'
      ? database.uri
      : withDatabaseName(database.uri, DATABASE_NAME);
  log(`database: ${database.kind} at ${uri}`);

  // The CLI's own script under this node: no npx or shell in between.
  const posix = process.platform !== 'win32';
  const nest = spawn(
    process.execPath,
    [
      require.resolve('@nestjs/cli/bin/nest.js'),
      'start',
      '--watch',
      '--no-shell',
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: posix,
      env: {
        ...process.env,
        NODE_ENV: process.env.NODE_ENV ?? 'development',
        MONGODB_URI: uri,
      },
    },
  );
  const killTree = () => {
    if (nest.pid === undefined) return;
    if (!posix) return treeKill(nest.pid);
    try {
      process.kill(-nest.pid, 'SIGKILL');
    } catch {
      // The group is empty: everything has exited.
    }
  };

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping the service`);
    if (!posix) return killTree();
    nest.kill('SIGTERM');
    setTimeout(() => {
      log(`still running after ${GRACE_MS} ms: killing the process tree`);
      killTree();
    }, GRACE_MS).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => stop(signal));
  watchParent(() => stop('parent process gone'));

  const code = await new Promise<number | null>((resolve) =>
    nest.once('exit', (exitCode) => resolve(exitCode)),
  );
  killTree();
  // The offline engine is left running for the next start; a mongod of our own is not.
  if (database.kind === 'memory-server') await database.stop();
  process.exit(code ?? 0);
}

/** Calls `onGone` once the process that started this one has ended. */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    let alive = process.ppid === parent;
    try {
      process.kill(parent, 0);
    } catch {
      alive = false;
    }
    if (alive) return;
    clearInterval(timer);
    onGone();
  }, 500);
  timer.unref();
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
