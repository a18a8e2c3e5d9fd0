import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server';

/**
 * Chooses the database the e2e suite runs against, in this order:
 * 1. MONGODB_URI, when set (any MongoDB or compatible engine);
 * 2. mongodb-memory-server, when a mongod can be had: MONGOMS_SYSTEM_BINARY,
 *    a cached binary, or a download that finishes within a short timeout;
 * 3. the offline engine (FerretDB on PostgreSQL/DocumentDB) that
 *    `npm run db:start` provisions and starts.
 * Whatever it starts, global-teardown stops.
 */

const ROOT = join(__dirname, '..', '..');
const DOWNLOAD_TIMEOUT_MS = Number(
  process.env.MONGOMS_PROBE_TIMEOUT_MS ?? 20_000,
);

export interface StartedDatabase {
  kind: 'external' | 'memory-server' | 'offline-engine';
  uri: string;
  memoryServer?: MongoMemoryServer;
  startedEngine?: boolean;
}

declare global {
  var __TEST_DATABASE__: StartedDatabase | undefined;
}

/** Asks mongodb-memory-server for a mongod in a child process, so a hanging download can be cut off. */
function findMongod(): string | undefined {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "require('mongodb-memory-server-core').MongoBinary.getPath().then((p) => { process.stdout.write(String(p)); process.exit(p ? 0 : 1); }, () => process.exit(1))",
    ],
    {
      cwd: ROOT,
      timeout: DOWNLOAD_TIMEOUT_MS,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return probe.status === 0 && probe.stdout ? probe.stdout.trim() : undefined;
}

/** Starts (or re-uses) the offline engine; the script prints MONGODB_URI=... last. */
function startOfflineEngine(): { uri: string; started: boolean } {
  const alreadyRunning =
    spawnSync('bash', [join(ROOT, 'scripts', 'db-status.sh')], {
      stdio: 'ignore',
    }).status === 0;
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'db-start.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.trim().split('\n').at(-1) ?? '';
  const match = /^MONGODB_URI=(.+)$/.exec(line);
  if (!match)
    throw new Error(`db:start did not print MONGODB_URI (last line: ${line})`);
  return { uri: match[1], started: !alreadyRunning };
}

export default async function globalSetup(): Promise<void> {
  let database: StartedDatabase;
  if (process.env.MONGODB_URI) {
    database = { kind: 'external', uri: process.env.MONGODB_URI };
  } else {
    const mongod = process.env.MONGOMS_SYSTEM_BINARY ?? findMongod();
    if (mongod) {
      const memoryServer = await MongoMemoryServer.create({
        binary: { systemBinary: mongod },
      });
      database = {
        kind: 'memory-server',
        uri: memoryServer.getUri(),
        memoryServer,
      };
    } else {
      const engine = startOfflineEngine();
      database = {
        kind: 'offline-engine',
        uri: engine.uri,
        startedEngine: engine.started,
      };
    }
  }
  globalThis.__TEST_DATABASE__ = database;
  process.env.TEST_DATABASE_URI = database.uri;
  process.env.TEST_DATABASE_KIND = database.kind;
  console.log(`\ne2e database: ${database.kind} at ${database.uri}`);
}
