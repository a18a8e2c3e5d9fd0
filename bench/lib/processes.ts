import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { mongo } from 'mongoose';
import {
  ROOT,
  mongodbUriFromOutput,
  run,
  startService,
  waitReady,
  type ServiceProcess,
} from '../../scripts/lib/process';
import type { ChildMessage, L1Result, L1Run } from './ipc';
import type { Log, Options } from './options';
import { BENCH_MAX_EVENTS } from './workload';

/** The processes of a run: engine, build, service, comparators. */

/** Every child this run started, so that each is stopped on the way out. */
export class Children {
  private readonly all: ChildProcess[] = [];

  track(child: ChildProcess): void {
    this.all.push(child);
  }

  stopAll(): void {
    for (const child of this.all) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      try {
        if (child.connected) child.send({ type: 'exit' });
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/** A forked comparator: its pid, its port (L2) and a request/response channel. */
export interface Comparator {
  pid: number;
  url: string;
  request(
    payload: Omit<L1Run, 'id'>,
    onMark?: (phase: 'start' | 'end') => void,
  ): Promise<L1Result>;
}

/** Forks bench/<file> under ts-node and waits for its {type:'ready'} message. */
export function forkComparator(
  file: string,
  uri: string,
  children: Children,
): Promise<Comparator> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench', file)],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_URI: uri, PORT: '0' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    children.track(child);
    type Pending = {
      resolve: (r: L1Result) => void;
      reject: (e: Error) => void;
      onMark?: (phase: 'start' | 'end') => void;
    };
    const pending = new Map<number, Pending>();
    let seq = 0;
    child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'ready') {
        resolve({
          pid: msg.pid,
          url: msg.port ? `http://127.0.0.1:${msg.port}` : '',
          request(payload, onMark) {
            const id = ++seq;
            return new Promise((res, rej) => {
              pending.set(id, { resolve: res, reject: rej, onMark });
              child.send({ ...payload, id });
            });
          },
        });
      } else if (msg.type === 'mark') {
        pending.get(msg.id)?.onMark?.(msg.phase);
      } else {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.result) p?.resolve(msg.result);
        else p?.reject(new Error(msg.error ?? `${file}: no result`));
      }
    });
    child.on('exit', (code) => {
      for (const p of pending.values())
        p.reject(new Error(`${file} exited ${code}`));
      reject(new Error(`${file} exited ${code} before it was ready`));
    });
  });
}

/** The service as the benchmark runs it: production settings, no auth, no rate limit. */
export async function startBenchService(
  uri: string,
  children: Children,
): Promise<ServiceProcess> {
  const service = await startService(
    {
      AUTH_DISABLED: 'true',
      API_KEYS: undefined,
      LOG_LEVEL: 'warn',
      MONGODB_URI: uri,
      RATE_LIMIT_MAX: '0',
      MAX_EVENTS_PER_SESSION: String(BENCH_MAX_EVENTS),
    },
    { outputLimit: 20_000 },
  );
  children.track(service.child);
  return service;
}

export async function engineRunning(): Promise<boolean> {
  try {
    await run('bash', ['scripts/db-status.sh'], { capture: true });
    return true;
  } catch {
    return false;
  }
}

export interface Database {
  baseUri: string;
  /** The local engine of scripts/db-start.sh (its CPU can be read). */
  local: boolean;
  /** This run started it, and stops it at the end. */
  startedByUs: boolean;
}

/** The database to use; starts the local engine when none is named. */
export async function resolveDatabase(
  opts: Options,
  log: Log,
): Promise<Database> {
  const named = opts.uri ?? process.env.MONGODB_URI;
  if (named) return { baseUri: named, local: false, startedByUs: false };
  const running = await engineRunning();
  log(
    running
      ? 'local engine already running'
      : 'starting the local engine (scripts/db-start.sh)',
  );
  const out = await run('bash', ['scripts/db-start.sh'], { capture: true });
  return {
    baseUri: mongodbUriFromOutput(out),
    local: true,
    startedByUs: !running,
  };
}

/** Stops the local engine if this run started it (synchronously: also on a signal). */
export function stopEngineIfOurs(db: Database | undefined, log: Log): void {
  if (!db?.startedByUs) return;
  log('stopping the local engine (this run started it)');
  try {
    execFileSync('bash', ['scripts/db-stop.sh'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  } catch (error) {
    log(
      `db-stop failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * After a failed window: restarts the local engine if it went away (never a
 * named one), then waits for the service to be ready again.
 */
export async function recoverEngine(
  opts: Options,
  service: ServiceProcess,
  log: Log,
): Promise<string | undefined> {
  let note: string | undefined;
  if (!(opts.uri ?? process.env.MONGODB_URI) && !(await engineRunning())) {
    note =
      'the local engine was stopped during the run (by another process) and restarted';
    log('  the engine is not running: restarting it');
    await run('bash', ['scripts/db-start.sh'], { capture: true });
  }
  await waitReady(service.url, { timeoutMs: 30_000 }).catch(() => undefined);
  return note;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs,
    );
  }
  return newest;
}

/** Builds dist/ when it is older than the sources (or when asked). */
export async function buildIfNeeded(opts: Options, log: Log): Promise<string> {
  const entry = join(ROOT, 'dist', 'main.js');
  if (opts.build === 'skip') {
    if (!existsSync(entry))
      throw new Error('--no-build given but dist/main.js is missing');
    return 'skipped (--no-build)';
  }
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const stale =
    !built ||
    newestMtime(join(ROOT, 'src')) > built ||
    ['package.json', 'tsconfig.json', 'tsconfig.build.json'].some(
      (f) => statSync(join(ROOT, f)).mtimeMs > built,
    );
  if (!stale && opts.build !== 'force') return 'up to date';
  log('building the service (npm run build)');
  const t = Date.now();
  await run('npm', ['run', 'build', '--silent'], { capture: true });
  return `built in ${((Date.now() - t) / 1000).toFixed(1)} s`;
}

/**
 * The end of a run, whatever happened: its children stopped, its database
 * dropped (unless kept), the client closed, the engine stopped if it started it.
 */
export async function endRun(
  children: Children,
  client: mongo.MongoClient,
  db: Database,
  keepData: boolean,
  log: Log,
): Promise<void> {
  children.stopAll();
  if (!keepData) {
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
  }
  await client.close().catch(() => undefined);
  stopEngineIfOurs(db, log);
}

/**
 * Runs a benchmark entry point: SIGINT / SIGTERM stop its children and the
 * engine it started (a second signal exits at once); exit 0 when `body`
 * resolves, 1 when it throws.
 */
export function runEntryPoint(
  log: Log,
  start: number,
  body: (children: Children, database: { current?: Database }) => Promise<void>,
): void {
  const children = new Children();
  const database: { current?: Database } = {};
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(130);
      stopping = true;
      log(`${sig}: stopping`);
      children.stopAll();
      stopEngineIfOurs(database.current, log);
      process.exit(130);
    });
  }
  body(children, database).then(
    () => {
      log(`done in ${((Date.now() - start) / 1000).toFixed(0)} s`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      children.stopAll();
      process.exit(1);
    },
  );
}
