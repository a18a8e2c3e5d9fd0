/**
 * `npm run bench:stream`: latency and database cost of the live tail
 * (GET /sessions/{id}/stream) across two instances; a script that prints
 * figures, not a test. What it measures and its flags:
 * `npm run bench:stream -- --help` (lib/stream/options.ts).
 */
import { startService } from '../scripts/lib/process';
import { createLog, parseOptions, type Log, type Options } from './lib/options';
import {
  type Children,
  buildIfNeeded,
  endRun,
  resolveDatabase,
  runEntryPoint,
  type Database,
} from './lib/processes';
import {
  STREAM_USAGE,
  parseStreamOptions,
  type StreamOptions,
} from './lib/stream/options';
import {
  cost,
  idleCpu,
  latency,
  pollTime,
  type Instance,
} from './lib/stream/phases';
import {
  BENCH_MAX_EVENTS,
  connect,
  sessionsOf,
  withDatabase,
} from './lib/workload';

/** The instances' settings beyond production's defaults. */
function instanceEnv(uri: string, opts: StreamOptions) {
  return {
    AUTH_DISABLED: 'true',
    API_KEYS: undefined,
    LOG_LEVEL: 'warn',
    MONGODB_URI: uri,
    RATE_LIMIT_MAX: '0',
    MAX_EVENTS_PER_SESSION: String(BENCH_MAX_EVENTS),
    MAX_STREAMS: String(opts.maxStreams),
    MAX_IN_FLIGHT_REQUESTS: String(opts.maxInFlight),
    STREAM_POLL_INTERVAL_MS: String(opts.intervalMs),
  };
}

async function startInstance(
  uri: string,
  opts: StreamOptions,
  children: Children,
): Promise<Instance> {
  const service = await startService(instanceEnv(uri, opts), {
    outputLimit: 20_000,
  });
  children.track(service.child);
  return { url: service.url, pid: service.pid };
}

async function bench(
  opts: StreamOptions,
  log: Log,
  children: Children,
  database: { current?: Database },
): Promise<void> {
  // The harness's engine and build handling, with its defaults for the rest.
  const harness: Options = {
    ...parseOptions([])!,
    uri: opts.uri,
    build: opts.build,
  };
  const db = await resolveDatabase(harness, log);
  database.current = db;
  const uri = withDatabase(db.baseUri, opts.db);
  log(`database: ${uri}${db.local ? ' (local engine)' : ''}`);
  const client = await connect(uri);
  try {
    await client.db().dropDatabase();
    log(`build: ${await buildIfNeeded(harness, log)}`);
    const [a, b] = await Promise.all([
      startInstance(uri, opts, children),
      startInstance(uri, opts, children),
    ]);
    const settings = Object.entries(instanceEnv(uri, opts))
      .filter(([k]) => k.startsWith('MAX_') || k.startsWith('STREAM_'))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const lines = [
      `command: npm run bench:stream${opts.argv.length ? ' -- ' + opts.argv.join(' ') : ''}`,
      `instances: A ${a.url} (pid ${a.pid}, appends), B ${b.url} (pid ${b.pid}, streams); both with ${settings}, other settings production defaults (STREAM_HEARTBEAT_MS 15000)`,
    ];
    const print = (line: string) => {
      lines.push(line);
      log(line);
    };
    log(lines[1]);

    log('latency phase');
    print(await latency(a, b, opts));
    const idle = await idleCpu(b, opts);
    print(`B idle (no stream open): CPU ${idle.toFixed(1)} % of one core`);
    for (const sessions of opts.sessions) {
      log(`cost phase: ${opts.streams} streams over ${sessions} sessions`);
      print(await cost(b, sessions, opts, idle, log));
    }
    log('poll-time phase');
    for (const line of await pollTime(sessionsOf(client), opts)) print(line);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await endRun(children, client, db, opts.keepData, log);
  }
}

function main(): void {
  const start = Date.now();
  const log = createLog(start);
  const opts = parseStreamOptions(process.argv.slice(2));
  if (!opts) {
    process.stdout.write(STREAM_USAGE);
    return;
  }
  runEntryPoint(log, start, (children, database) =>
    bench(opts, log, children, database),
  );
}

main();
