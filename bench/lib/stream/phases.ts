import { percentile, procCpuMs, sleep } from '../measure';
import type { Log } from '../options';
import { sessionWithEventPageProjection, streamBatch } from '../service-rules';
import {
  newEventBody,
  seededSession,
  type SessionCollection,
} from '../workload';
import {
  appendEvent,
  closeAll,
  createSession,
  metricValue,
  openStream,
  openStreams,
  scrape,
  type OpenStream,
} from './client';
import type { StreamOptions } from './options';

/** The three measures of bench/stream.ts; each returns the lines it prints. */

/** An instance of the service as the phases need it. */
export interface Instance {
  url: string;
  pid: number;
}

const STREAMS_OPEN = 'conversation_streams_open';
const STREAM_READS = 'conversation_stream_reads_total';

export interface Spread {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = Float64Array.from(values).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

const ms = (x: number, digits = 0) => `${x.toFixed(digits)} ms`;

/** Waits until B reports `want` open streams (closed ones leave asynchronously). */
async function streamsOpen(b: Instance, want: number): Promise<number> {
  let open = NaN;
  for (let i = 0; i < 100; i++) {
    open = metricValue(await scrape(b.url), STREAMS_OPEN);
    if (open === want) break;
    await sleep(100);
  }
  return open;
}

/** 1. Appends on A, the events' arrival on B's streams. */
export async function latency(
  a: Instance,
  b: Instance,
  opts: StreamOptions,
): Promise<string> {
  const sessionId = `lat-${Date.now()}`;
  await createSession(a.url, sessionId);
  const sentAt = new Map<number, number>();
  const arrivals: number[] = [];
  const appendMs: number[] = [];
  const streams: OpenStream[] = [];
  try {
    for (let i = 0; i < opts.latencyStreams; i++) {
      streams.push(
        await openStream(b.url, sessionId, (seq) => {
          const t = sentAt.get(seq);
          if (t !== undefined) arrivals.push(performance.now() - t);
        }),
      );
    }
    for (let seq = 1; seq <= opts.events; seq++) {
      const t0 = performance.now();
      sentAt.set(seq, t0);
      await appendEvent(a.url, sessionId, newEventBody(`e${seq}`));
      appendMs.push(performance.now() - t0);
      await sleep(opts.gapMs);
    }
    const expected = opts.events * streams.length;
    for (let i = 0; i < 100 && arrivals.length < expected; i++) await sleep(50);
    const s = spread(arrivals);
    const post = spread(appendMs);
    return (
      `latency (append on A -> event on B), ${streams.length} streams x ${opts.events} events` +
      ` (one every ~${opts.gapMs} ms + the append), poll every ${opts.intervalMs} ms:` +
      ` p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}` +
      ` (${arrivals.length}/${expected} delivered; the append itself: p50 ${ms(post.p50, 1)}, p95 ${ms(post.p95, 1)})`
    );
  } finally {
    closeAll(streams);
  }
}

/** B's CPU (% of one core) and stream reads per second over one window. */
async function window(b: Instance, windowMs: number) {
  const before = await scrape(b.url);
  const cpu0 = procCpuMs(b.pid);
  const t0 = performance.now();
  await sleep(windowMs);
  const after = await scrape(b.url);
  const cpuMs = procCpuMs(b.pid) - cpu0;
  const seconds = (performance.now() - t0) / 1000;
  const rate = (kind: string) =>
    (metricValue(after, STREAM_READS, `kind="${kind}"`) -
      metricValue(before, STREAM_READS, `kind="${kind}"`)) /
    seconds;
  return {
    cpuPercent: (cpuMs / (seconds * 1000)) * 100,
    polls: rate('poll'),
    catchUps: rate('catch_up'),
    open: metricValue(after, STREAMS_OPEN),
  };
}

/** B's CPU with no stream open: the baseline the cost phases are read against. */
export async function idleCpu(b: Instance, opts: StreamOptions) {
  const w = await window(b, Math.min(opts.measureMs, 5000));
  return w.cpuPercent;
}

/** 2. `opts.streams` idle streams over `sessions` sessions: B's reads and CPU. */
export async function cost(
  b: Instance,
  sessions: number,
  opts: StreamOptions,
  idlePercent: number,
  log: Log,
): Promise<string> {
  const ids = Array.from(
    { length: sessions },
    (_, i) => `cost-${sessions}-${i}`,
  );
  for (const id of ids) await createSession(b.url, id);
  const t0 = Date.now();
  const streams = await openStreams(
    b.url,
    Array.from({ length: opts.streams }, (_, i) => ids[i % sessions]),
  );
  try {
    log(
      `  ${streams.length} streams over ${sessions} sessions open in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    await sleep(1000);
    const w = await window(b, opts.measureMs);
    const per1000 = (x: number) => (x * 1000) / w.open;
    return (
      `cost: ${w.open} idle streams over ${sessions} sessions on B: ${w.polls.toFixed(1)} poll reads/s` +
      ` (sessions x 1000/interval = ${((sessions * 1000) / opts.intervalMs).toFixed(0)}),` +
      ` ${w.catchUps.toFixed(1)} catch-up reads/s; B's CPU ${w.cpuPercent.toFixed(1)} % of one core` +
      ` (idle ${idlePercent.toFixed(1)} %: +${per1000(w.cpuPercent - idlePercent).toFixed(1)} % per 1,000 streams)`
    );
  } finally {
    closeAll(streams);
    const left = await streamsOpen(b, 0);
    if (left !== 0) log(`  B still reports ${left} open streams`);
  }
}

/** 3. The tail's read (no new events), sequentially, on short and long sessions. */
export async function pollTime(
  col: SessionCollection,
  opts: StreamOptions,
  lengths = [10, 2000],
): Promise<string[]> {
  const lines: string[] = [];
  const batch = streamBatch();
  for (const n of lengths) {
    const sessionId = `poll-${n}`;
    await col.insertOne(seededSession(sessionId, n));
    // What a poll of a tail that has read every event sends: $slice [n, batch].
    const projection = sessionWithEventPageProjection(n, batch);
    const read = () => col.findOne({ sessionId }, { projection });
    for (let i = 0; i < 20; i++) await read();
    const times: number[] = [];
    for (let i = 0; i < opts.polls; i++) {
      const t0 = performance.now();
      const found = await read();
      times.push(performance.now() - t0);
      if (!found) throw new Error(`${sessionId} not found`);
    }
    const s = spread(times);
    lines.push(
      `one poll (no new events) of a session of ${n} events, ${s.n} sequential reads:` +
        ` mean ${ms(s.mean, 2)}, p50 ${ms(s.p50, 2)}, p95 ${ms(s.p95, 2)}, max ${ms(s.max, 2)}`,
    );
  }
  return lines;
}
