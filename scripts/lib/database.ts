import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server';
import { mongodbUriFromOutput } from './process';

/**
 * Chooses the database for the e2e suite and for `npm run dev`, in this order:
 * 1. MONGODB_URI, when set (any MongoDB or compatible engine);
 * 2. mongodb-memory-server, when a mongod can be had: MONGOMS_SYSTEM_BINARY,
 *    a cached binary, or a download that finishes within a short timeout
 *    (MONGOMS_PROBE_TIMEOUT_MS); works on Linux, macOS and Windows;
 * 3. the offline engine (FerretDB on PostgreSQL/DocumentDB, Linux only) that
 *    `npm run db:start` provisions and starts.
 */

const ROOT = join(__dirname, '..', '..');
const DOWNLOAD_TIMEOUT_MS = Number(
  process.env.MONGOMS_PROBE_TIMEOUT_MS ?? 20_000,
);

export type DatabaseKind = 'external' | 'memory-server' | 'offline-engine';

export interface StartedDatabase {
  kind: DatabaseKind;
  /** The server's URI, without a database name. */
  uri: string;
  /** Stops what this selection started; a database that was already running stays up. */
  stop(): Promise<void>;
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

function script(name: string): string {
  return join(ROOT, 'scripts', name);
}

/** Starts (or re-uses) the offline engine; db-start.sh prints MONGODB_URI=... last. */
function startOfflineEngine(): StartedDatabase {
  if (process.platform !== 'linux') {
    throw new Error(
      'No database: set MONGODB_URI, or let mongodb-memory-server fetch a mongod (network, or MONGOMS_SYSTEM_BINARY); the offline engine runs on Linux only.',
    );
  }
  const alreadyRunning =
    spawnSync('bash', [script('db-status.sh')], { stdio: 'ignore' }).status ===
    0;
  const out = execFileSync('bash', [script('db-start.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return {
    kind: 'offline-engine',
    uri: mongodbUriFromOutput(out),
    stop: async () => {
      if (alreadyRunning) return;
      execFileSync('bash', [script('db-stop.sh')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    },
  };
}

export async function startDatabase(): Promise<StartedDatabase> {
  if (process.env.MONGODB_URI) {
    return {
      kind: 'external',
      uri: process.env.MONGODB_URI,
      stop: async () => undefined,
    };
  }
  const mongod = process.env.MONGOMS_SYSTEM_BINARY ?? findMongod();
  if (!mongod) return startOfflineEngine();
  const memoryServer = await MongoMemoryServer.create({
    binary: { systemBinary: mongod },
  });
  return {
    kind: 'memory-server',
    uri: memoryServer.getUri(),
    stop: async () => {
      await memoryServer.stop();
    },
  };
}

/** `uri` with `name` as its database, unless it names one already. */
export function withDatabaseName(uri: string, name: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${name}`;
  return url.toString();
}
