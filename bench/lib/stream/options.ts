import { parseArgs } from 'node:util';

export const STREAM_USAGE = `npm run bench:stream [-- flags]: latency and database cost of the live tail
(GET /sessions/{id}/stream); a script that prints figures, not a test.

Starts two instances of the built service (node dist/main.js, production
settings) on one database: A takes the appends, B serves the streams, so every
event crosses instances the way production's do (through B's shared poll).
  1. latency: --latency-streams streams on B follow one session while --events
     appends go to A, one every --gap ms; per event and stream, the time from
     just before the POST to the event's arrival: p50/p95/max.
  2. cost: --streams idle streams on B spread over S sessions (each S of
     --sessions); over --measure seconds, B's database reads per second (its
     conversation_stream_reads_total, by kind) and B's CPU (/proc/<pid>/stat).
  3. one poll's database time: the tail's own read (the service's
     sessionWithEventPageProjection, from dist/), sequentially, --polls times
     on a session of 10 events and on one of 2,000.

Both instances run with MAX_STREAMS=--max-streams and
MAX_IN_FLIGHT_REQUESTS=--max-in-flight, so that B admits the streams.

Flags (all optional):
  --uri <mongodb uri>      any MongoDB (default: $MONGODB_URI, else the local engine)
  --db <name>              database the run owns and drops (default conversation_stream_bench)
  --interval <ms>          STREAM_POLL_INTERVAL_MS of both instances (default 250)
  --events <n>             appends of the latency phase (default 200)
  --gap <ms>               pause after each append (default 50)
  --latency-streams <n>    streams following the latency session (default 5)
  --streams <n>            idle streams of the cost phase (default 1000)
  --sessions <list>        sessions they are spread over, one phase each (default 10,100)
  --measure <s>            measurement of each cost phase (default 10)
  --polls <n>              reads per session in the poll-time phase (default 500)
  --max-streams <n>        MAX_STREAMS of both instances (default 2000)
  --max-in-flight <n>      MAX_IN_FLIGHT_REQUESTS of both instances (default 4000)
  --build / --no-build     force / skip npm run build (default: build when dist is stale)
  --keep-data              do not drop the database at the end
`;

export interface StreamOptions {
  uri?: string;
  db: string;
  intervalMs: number;
  events: number;
  gapMs: number;
  latencyStreams: number;
  streams: number;
  sessions: number[];
  measureMs: number;
  polls: number;
  maxStreams: number;
  maxInFlight: number;
  build: 'auto' | 'force' | 'skip';
  keepData: boolean;
  /** The flags as given, for the command line in the output. */
  argv: string[];
}

function whole(name: string, value: string | undefined, fallback: number) {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`--${name} must be a positive integer, not ${value}`);
  }
  return n;
}

/** Parses the flags; `null` means --help was asked for. */
export function parseStreamOptions(argv: string[]): StreamOptions | null {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      uri: { type: 'string' },
      db: { type: 'string', default: 'conversation_stream_bench' },
      interval: { type: 'string' },
      events: { type: 'string' },
      gap: { type: 'string' },
      'latency-streams': { type: 'string' },
      streams: { type: 'string' },
      sessions: { type: 'string', default: '10,100' },
      measure: { type: 'string' },
      polls: { type: 'string' },
      'max-streams': { type: 'string' },
      'max-in-flight': { type: 'string' },
      build: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (v.help) return null;
  const opts: StreamOptions = {
    uri: v.uri,
    db: v.db,
    intervalMs: whole('interval', v.interval, 250),
    events: whole('events', v.events, 200),
    gapMs: whole('gap', v.gap, 50),
    latencyStreams: whole('latency-streams', v['latency-streams'], 5),
    streams: whole('streams', v.streams, 1000),
    sessions: v.sessions.split(',').map((s) => whole('sessions', s.trim(), 1)),
    measureMs: whole('measure', v.measure, 10) * 1000,
    polls: whole('polls', v.polls, 500),
    maxStreams: whole('max-streams', v['max-streams'], 2000),
    maxInFlight: whole('max-in-flight', v['max-in-flight'], 4000),
    build: v['no-build'] ? 'skip' : v.build ? 'force' : 'auto',
    keepData: v['keep-data'],
    argv,
  };
  const most = Math.max(opts.streams, opts.latencyStreams);
  if (opts.maxStreams <= most || opts.maxInFlight <= most) {
    throw new Error(
      `--max-streams and --max-in-flight must exceed the ${most} streams the run opens`,
    );
  }
  return opts;
}
