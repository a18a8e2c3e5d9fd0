import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Running the built service and the project's shell scripts as processes:
 * shared by the benchmark, the process tests and the scripts, so that a port,
 * a readiness wait or the engine's `MONGODB_URI=` line is handled one way.
 */

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');

/** A loopback port that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A loopback port that is free now, found synchronously (for configuration
 * read at import time), below the kernel's ephemeral range so that no
 * outgoing connection takes it meanwhile.
 */
export function freePortSync(): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const probe = spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().once('error', () => process.exit(1)).listen(${port}, '127.0.0.1', () => process.exit(0))`,
    ]);
    if (probe.status === 0) return port;
  }
  throw new Error('no free loopback port found');
}

/** The URI that `scripts/db-start.sh` prints as its last stdout line, `MONGODB_URI=...`. */
export function mongodbUriFromOutput(output: string): string {
  const last = output.trim().split('\n').at(-1) ?? '';
  const match = /^MONGODB_URI=(.+)$/.exec(last);
  if (!match) {
    throw new Error(
      `db-start.sh printed no MONGODB_URI (last line: ${last || '(none)'})`,
    );
  }
  return match[1];
}

/** Keeps the last part of a long output: enough for an error message. */
function tail(text: string, limit = 20_000): string {
  return text.length > limit ? text.slice(-limit / 2) : text;
}

/**
 * Runs a command to its end; resolves with its stdout when `capture` is set.
 * Rejects with the tail of its stderr when it exits non-zero.
 */
export function run(
  command: string,
  args: string[],
  { capture = false, cwd = ROOT }: { capture?: boolean; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err = tail(err + d.toString())));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `${command} ${args.join(' ')} exited ${code}\n${err.slice(-3000)}`,
            ),
          ),
    );
  });
}

/** A `node dist/main.js` process and what it printed. */
export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Everything it printed so far (stdout and stderr, the last ~20 kB). */
  output(): string;
  /** How it ended, once it has. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
}

/**
 * Starts the built service in production mode with these variables on top of
 * this process's environment (an `undefined` value removes a variable). The
 * URL uses `env.PORT`; the service is not waited for. Its output is kept
 * whole, or its last `outputLimit` characters or so.
 */
export function spawnService(
  env: Record<string, string | undefined>,
  { outputLimit = Infinity }: { outputLimit?: number } = {},
): ServiceProcess {
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    ...env,
  };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
  }
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) =>
    (output = tail(output + chunk.toString(), outputLimit));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let ended: ReturnType<ServiceProcess['exited']> = null;
  child.on('exit', (code, signal) => (ended = { code, signal }));
  return {
    child,
    pid: child.pid ?? -1,
    url: `http://127.0.0.1:${env.PORT}`,
    output: () => output,
    exited: () => ended,
  };
}

/**
 * Waits until `GET <url>/health/ready` answers 200. With a service, gives up
 * as soon as it exits, quoting what it printed.
 */
export async function waitReady(
  url: string,
  {
    timeoutMs = 60_000,
    service,
  }: { timeoutMs?: number; service?: ServiceProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ended = service?.exited();
    if (ended && service) {
      throw new Error(
        `service exited (${JSON.stringify(ended)}) during start:\n${service.output().slice(-3000)}`,
      );
    }
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const printed = service ? `:\n${service.output().slice(-3000)}` : '';
  throw new Error(
    `service at ${url} not ready within ${timeoutMs / 1000} s${printed}`,
  );
}

/** Starts the built service on a free port and waits until it is ready. */
export async function startService(
  env: Record<string, string | undefined>,
  {
    timeoutMs = 60_000,
    outputLimit,
  }: { timeoutMs?: number; outputLimit?: number } = {},
): Promise<ServiceProcess> {
  const service = spawnService(
    { ...env, PORT: String(await freePort()) },
    { outputLimit },
  );
  try {
    await waitReady(service.url, { timeoutMs, service });
  } catch (error) {
    service.child.kill('SIGKILL');
    throw error;
  }
  return service;
}
