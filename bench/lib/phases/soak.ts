import type { Request } from 'autocannon';
import { runAutocannon } from '../load';
import {
  LatencyRecorder,
  median,
  minimum,
  procCpuMs,
  procRssBytes,
  type LatencySummary,
} from '../measure';
import { AppendPool, ReadPool } from '../pools';
import type { Bench } from '../runner';
import { PAGE, REPLAY_N, Tags } from '../scenarios';
import { newEventBody, seededEventBody } from '../workload';

/**
 * The soak: a long run of mixed requests at a fixed rate (about half of the
 * service's capacity here), reading the service's RSS (/proc) and heap
 * (its own /metrics) throughout. Memory is compared between the first and
 * the last stretch of the run, both under the same load; every response
 * other than the expected status counts as an error.
 */

/** Out of every 10 requests: 1 create, 6 appends, 1 replay, 2 pages. */
const MIX = [
  'create',
  'append',
  'append',
  'page',
  'append',
  'replay',
  'append',
  'append',
  'page',
  'append',
] as const;
type Kind = (typeof MIX)[number];
const EXPECT: Record<Kind, number> = {
  create: 201,
  append: 201,
  replay: 200,
  page: 200,
};
const APPENDS_PER_SESSION = 30;

/** Readings at each end of the soak that its start and end levels are taken from. */
export const soakStretch = (samples: number) =>
  Math.max(3, Math.ceil(samples / 10));

export interface MemorySample {
  /** Seconds since the measured soak began. */
  t: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface SoakResult {
  requests: number;
  seconds: number;
  targetRate: number;
  achievedRate: number;
  warmupSeconds: number;
  statuses: Record<string, number>;
  /** Responses with another status than their request's expected one. */
  errorResponses: number;
  /** Connection errors and timeouts (no response at all). */
  socketErrors: number;
  cpuMsPerReq: number;
  latency: LatencySummary;
  samples: MemorySample[];
  start: { rssBytes: number; heapUsedBytes: number };
  end: { rssBytes: number; heapUsedBytes: number };
}

async function heapUsedBytes(url: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)/m.exec(
      text,
    );
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

export async function runSoak(
  bench: Bench,
  pools: { replay: ReadPool; page: ReadPool },
): Promise<SoakResult> {
  const { opts, col, log } = bench;
  const svc = bench.targets.svc;
  const rate = opts.soakRequests / opts.soakSeconds;
  const warmupRequests = Math.ceil(rate * opts.soakWarmupSeconds);
  const appends = Math.ceil(((opts.soakRequests + warmupRequests) * 6) / 10);
  const sessions = new AppendPool(col, 'soak', 0, APPENDS_PER_SESSION);
  log(`soak: seeding ${Math.ceil(appends / APPENDS_PER_SESSION)} sessions`);
  await sessions.ensure(appends + 4 * opts.connections);

  const tags = new Tags();
  const tag = tags.next('c');
  let k = 0;
  const request: Request = {
    method: 'POST',
    setupRequest: (req, context) => {
      const kind = MIX[k % MIX.length];
      const i = k++;
      context.kind = kind;
      const json = { 'content-type': 'application/json' };
      switch (kind) {
        case 'create':
          return {
            ...req,
            method: 'POST',
            path: '/sessions',
            headers: json,
            body: JSON.stringify({ sessionId: `${tag}-${i}`, language: 'en' }),
          };
        case 'append':
          return {
            ...req,
            method: 'POST',
            path: `/sessions/${sessions.takeId()}/events`,
            headers: json,
            body: JSON.stringify(newEventBody(`${tag}-${i}`)),
          };
        case 'replay':
          return {
            ...req,
            method: 'POST',
            path: `/sessions/${pools.replay.next()}/events`,
            headers: json,
            body: JSON.stringify(seededEventBody(REPLAY_N - 1)),
          };
        case 'page':
          return {
            ...req,
            method: 'GET',
            path: `/sessions/${pools.page.next()}/events?after=0&limit=${PAGE}`,
            headers: {},
            body: undefined,
          };
      }
    },
  };

  log(
    `soak: warming up for ${opts.soakWarmupSeconds} s at ${rate.toFixed(0)} req/s`,
  );
  await runAutocannon(svc.url, request, {
    connections: opts.connections,
    amount: warmupRequests,
    overallRate: rate,
  });

  const statuses: Record<string, number> = {};
  let errorResponses = 0;
  const lat = new LatencyRecorder(opts.soakRequests + 1000);
  const measured: Request = { ...request };
  measured.onResponse = (status, _body, context) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    const kind = context.kind as Kind | undefined;
    if (kind && status === EXPECT[kind]) return;
    errorResponses++;
  };
  const samples: MemorySample[] = [];
  const t0 = performance.now();
  const sample = async () => {
    const heap = await heapUsedBytes(svc.url);
    samples.push({
      t: (performance.now() - t0) / 1000,
      rssBytes: procRssBytes(svc.pid),
      heapUsedBytes: heap,
    });
  };
  const every = Math.max(1000, (opts.soakSeconds * 1000) / 120);
  await sample();
  const timer = setInterval(() => void sample(), every);
  const progress = setInterval(
    () =>
      log(
        `soak: ${((performance.now() - t0) / 1000).toFixed(0)} s, ${lat.count} responses`,
      ),
    60_000,
  );
  const c0 = procCpuMs(svc.pid);
  log(`soak: ${opts.soakRequests} requests over ${opts.soakSeconds} s`);
  let result;
  try {
    result = await runAutocannon(
      svc.url,
      measured,
      {
        connections: opts.connections,
        amount: opts.soakRequests,
        overallRate: rate,
      },
      (_status, ms) => lat.add(ms),
    );
  } finally {
    clearInterval(timer);
    clearInterval(progress);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuMs = procCpuMs(svc.pid) - c0;
  await sample();
  await col.deleteMany({ sessionId: tags.createdRange() });

  // RSS: the median of a stretch. Heap: its lowest reading, the level right
  // after a collection (heap used under load is a sawtooth between them).
  const stretch = soakStretch(samples.length);
  const level = (xs: MemorySample[]) => ({
    rssBytes: median(xs.map((s) => s.rssBytes)),
    heapUsedBytes: minimum(xs.map((s) => s.heapUsedBytes)),
  });
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    requests: opts.soakRequests,
    seconds,
    targetRate: rate,
    achievedRate: responses / seconds,
    warmupSeconds: opts.soakWarmupSeconds,
    statuses,
    errorResponses,
    socketErrors: result.errors,
    cpuMsPerReq: cpuMs / Math.max(1, responses),
    latency: lat.summary(),
    samples,
    start: level(samples.slice(0, stretch)),
    end: level(samples.slice(-stretch)),
  };
}
