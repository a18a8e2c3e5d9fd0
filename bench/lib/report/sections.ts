import { median, minimum } from '../measure';
import type { BatchRoute } from '../phases/batch';
import { BATCH_N, BATCH_SIZES } from '../phases/batch';
import { soakStretch, type SoakResult } from '../phases/soak';
import type { WindowRecord } from '../runner';
import { VARIANTS } from '../scenarios';
import { fmt, mib, table, type Records } from './format';

/** The sections of the quiet CPU measure, the batch scenario and the soak. */

export const cpu = (r: WindowRecord) => r.cpuMsPerReq;

export function quietSection(
  recs: Records,
  cells: string[],
  shape: string,
): string[] {
  if (!cells.length) return [];
  const rows: (string | number)[][] = [];
  for (const cell of cells) {
    for (const v of VARIANTS) {
      const rs = recs.of(cell, v);
      if (!rs.length) continue;
      const vs = (other: string) => {
        if (v !== 'svc' || !recs.has(cell, other)) return '';
        const r = recs.roundRatio([cell, 'svc'], [cell, other], cpu);
        const byMin =
          minimum(rs.map(cpu)) / minimum(recs.of(cell, other).map(cpu));
        return `${fmt(r.median, 2)} (${fmt(byMin, 2)})`;
      };
      rows.push([
        cell,
        v,
        fmt(median(rs.map(cpu)), 3),
        fmt(minimum(rs.map(cpu)), 3),
        fmt(median(rs.map((r) => r.rps)), 0),
        fmt(median(rs.map((r) => r.p50)), 2),
        vs('L2'),
        vs('L1'),
        rs.reduce((s, r) => s + r.errors, 0),
      ]);
    }
  }
  return [
    `Quiet measure: CPU per request of each process (${shape}), variants alternating; median and min over rounds`,
    table(
      [
        'scenario',
        'var',
        'CPU ms/req',
        'min',
        'req/s',
        'p50 ms',
        'svc/L2 CPU (min/min)',
        'svc/L1 CPU (min/min)',
        'err',
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '  CPU = utime+stime from /proc/<pid>/stat (10 ms ticks) for svc and L2, process.cpuUsage() for L1; ratios are medians of per-round ratios.',
    '',
  ];
}

export const batchCell = (size: number | null, n: number) =>
  size === null ? `B single appends N=${n}` : `B batch of ${size} N=${n}`;
export const eventsPerS = (r: WindowRecord) => r.rps * (r.batch ?? 1);
const cpuPerEvent = (r: WindowRecord) => r.cpuMsPerReq / (r.batch ?? 1);

export function batchSection(
  recs: Records,
  route: BatchRoute | null,
  connections: number,
): string[] {
  if (!route) return [];
  if (!route.available) return [`Batch appends: skipped: ${route.detail}.`, ''];
  const rows: (string | number)[][] = [];
  for (const n of BATCH_N) {
    for (const size of [null, ...BATCH_SIZES]) {
      const cell = batchCell(size, n);
      const rs = recs.of(cell, 'svc');
      if (!rs.length) continue;
      const single = recs.roundRatio(
        [cell, 'svc'],
        [batchCell(null, n), 'svc'],
        eventsPerS,
      );
      rows.push([
        n,
        size === null ? 'single append' : `batch of ${size}`,
        fmt(median(rs.map((r) => r.rps)), 0),
        fmt(median(rs.map(eventsPerS)), 0),
        fmt(median(rs.map(cpu)), 3),
        fmt(median(rs.map(cpuPerEvent)), 4),
        fmt(median(rs.map((r) => r.p50)), 2),
        fmt(median(rs.map((r) => r.p99)), 2),
        size === null ? '1.00' : fmt(single.median, 2),
        rs.reduce((s, r) => s + r.errors, 0),
      ]);
    }
  }
  return [
    `Batch appends (POST /sessions/{id}/events/batch, service only, ${connections} connections): events/s and CPU per event`,
    table(
      [
        'N',
        'request',
        'req/s',
        'events/s',
        'CPU ms/req',
        'CPU ms/event',
        'p50 ms',
        'p99 ms',
        'vs single',
        'err',
      ],
      rows,
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '  vs single = events/s over the single appends of the same round and N (median over rounds).',
    '',
  ];
}

export function soakSection(soak: SoakResult | null): string[] {
  if (!soak)
    return [
      'Soak: not run (npm run bench -- --soak, or npm run bench:soak).',
      '',
    ];
  const ratio = (end: number, start: number) => `${fmt(end / start, 2)}x`;
  const max = (f: (s: SoakResult['samples'][number]) => number) =>
    Math.max(...soak.samples.map(f));
  return [
    `Soak: ${soak.requests} mixed requests (of every 10: 1 create, 6 appends, 1 replay, 2 pages) paced at ${fmt(soak.targetRate, 0)} req/s, after ${fmt(soak.warmupSeconds, 0)} s of warm-up`,
    `  took ${fmt(soak.seconds, 0)} s (${fmt(soak.achievedRate, 0)} req/s); service CPU ${fmt(soak.cpuMsPerReq, 3)} ms/req; p50 ${fmt(soak.latency.p50, 2)} ms, p99 ${fmt(soak.latency.p99, 2)} ms`,
    `  statuses ${JSON.stringify(soak.statuses)}; error responses ${soak.errorResponses}; connection errors ${soak.socketErrors}`,
    `  RSS:  start ${mib(soak.start.rssBytes)}, end ${mib(soak.end.rssBytes)} (${ratio(soak.end.rssBytes, soak.start.rssBytes)}), max ${mib(max((s) => s.rssBytes))}`,
    `  heap: start ${mib(soak.start.heapUsedBytes)}, end ${mib(soak.end.heapUsedBytes)} (${ratio(soak.end.heapUsedBytes, soak.start.heapUsedBytes)}), max ${mib(max((s) => s.heapUsedBytes))}`,
    `  start / end: the first / last ${soakStretch(soak.samples.length)} of ${soak.samples.length} readings, all under the same load: RSS (/proc) their median, heap used (the service's /metrics) their lowest, the level after a collection.`,
    '',
  ];
}
