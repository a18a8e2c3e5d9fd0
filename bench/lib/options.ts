import { parseArgs } from 'node:util';

export const USAGE = `npm run bench [-- flags]: the performance harness (a script, not a test).

Starts the database engine (unless --uri / MONGODB_URI names one), builds and
starts the service (node dist/main.js, production settings), seeds sessions
with the driver, and measures each scenario against two comparators on the
same engine in the same run:
  svc  the service, over HTTP (autocannon, keep-alive, loopback)
  L2   a minimal node:http server + the raw driver (the limit for an HTTP service)
  L1   the raw driver alone, same operations in flight, no HTTP (the physical limit)
Variants alternate within each round and rounds repeat, so ratios are taken
between neighbouring windows. Prints a table and the targets, writes
bench/results.json, and (for a full run) bench/RESULTS.md.

Scenarios (--only keys): S1 create; S2 append at N = 0/100/1000/5000 (and P,
p99 at half capacity); S2H one hot session; S3 replay; S4 50-event page;
Q the quiet CPU measure (fixed-size rounds); B batch appends; SOAK (only with
--soak, or npm run bench:soak).

Flags (all optional):
  --uri <mongodb uri>     any MongoDB (default: $MONGODB_URI, else the local engine)
  --db <name>             database the run owns and drops (default conversation_bench)
  --rounds <n>            rounds of alternation (default 3)
  --warmup <s>            warm-up per window (default 1)
  --measure <s>           measurement per window (default 3)
  --connections <n>       autocannon connections = L1 operations in flight (default 16)
  --only <list>           scenarios, e.g. S2,S4,Q (a partial run does not rewrite RESULTS.md)
  --l2-all                also run L2 for the read-side scenarios S3 and S4
  --quiet-rounds <n>      rounds of the quiet measure (default 11)
  --quiet-requests <n>    requests per variant per quiet round (default 1000)
  --soak                  also run the soak (about 10 minutes)
  --soak-requests <n>     requests of the soak (default 200000)
  --soak-seconds <s>      duration the soak is paced over (default 600)
  --quick                 a smoke run: tiny windows, counts and soak; never rewrites RESULTS.md
  --build / --no-build    force / skip npm run build (default: build when dist is stale)
  --keep-data             do not drop the bench database at the end
`;

export interface Options {
  uri?: string;
  db: string;
  rounds: number;
  warmupMs: number;
  measureMs: number;
  connections: number;
  /** Upper-case scenario keys, or null for all of them. */
  only: string[] | null;
  l2All: boolean;
  quietRounds: number;
  quietRequests: number;
  soak: boolean;
  soakRequests: number;
  soakSeconds: number;
  /** Warm-up of the soak before its first memory reading. */
  soakWarmupSeconds: number;
  quick: boolean;
  build: 'auto' | 'force' | 'skip';
  keepData: boolean;
  /** The flags as given, for the report's command line. */
  argv: string[];
}

function positive(name: string, value: string | undefined, fallback: number) {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`--${name} must be a positive number, not ${value}`);
  }
  return n;
}

/** Parses the flags; `null` means --help was asked for. */
export function parseOptions(argv: string[]): Options | null {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      uri: { type: 'string' },
      db: { type: 'string', default: 'conversation_bench' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      measure: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      'l2-all': { type: 'boolean', default: false },
      'quiet-rounds': { type: 'string' },
      'quiet-requests': { type: 'string' },
      soak: { type: 'boolean', default: false },
      'soak-requests': { type: 'string' },
      'soak-seconds': { type: 'string' },
      quick: { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (v.help) return null;
  const quick = v.quick;
  const only = v.only
    ? v.only.split(',').map((s) => s.trim().toUpperCase())
    : null;
  const soakSeconds = positive(
    'soak-seconds',
    v['soak-seconds'],
    quick ? 10 : 600,
  );
  return {
    uri: v.uri,
    db: v.db,
    rounds: Math.round(positive('rounds', v.rounds, quick ? 1 : 3)),
    warmupMs: positive('warmup', v.warmup, quick ? 0.3 : 1) * 1000,
    measureMs: positive('measure', v.measure, quick ? 0.7 : 3) * 1000,
    connections: Math.round(
      positive('connections', v.connections, quick ? 4 : 16),
    ),
    only,
    l2All: v['l2-all'],
    quietRounds: Math.round(
      positive('quiet-rounds', v['quiet-rounds'], quick ? 2 : 11),
    ),
    quietRequests: Math.round(
      positive('quiet-requests', v['quiet-requests'], quick ? 100 : 1000),
    ),
    soak: v.soak || Boolean(only?.includes('SOAK')),
    soakRequests: Math.round(
      positive('soak-requests', v['soak-requests'], quick ? 1500 : 200_000),
    ),
    soakSeconds,
    soakWarmupSeconds: Math.min(30, Math.max(2, soakSeconds / 20)),
    quick,
    build: v['no-build'] ? 'skip' : v.build ? 'force' : 'auto',
    keepData: v['keep-data'],
    argv,
  };
}

/** Whether a scenario key (S1, S2H, Q, B, SOAK...) is part of this run. */
export function selected(opts: Options, key: string): boolean {
  if (key === 'SOAK') return opts.soak;
  return (
    !opts.only || opts.only.includes(key) || opts.only.includes(key.slice(0, 2))
  );
}

/** A full run (every scenario, normal sizes) is the one that rewrites bench/RESULTS.md. */
export function isFullRun(opts: Options): boolean {
  return !opts.only && !opts.quick;
}

export type Log = (message: string) => void;

/** Progress on stderr, stamped with the seconds since `start`. */
export function createLog(start: number): Log {
  return (message) => {
    const s = ((Date.now() - start) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[bench ${s}s] ${message}\n`);
  };
}
