import type { PoolDrift } from '../inspect';
import { median } from '../measure';
import { N_VALUES } from '../scenarios';
import { seededEvents } from '../workload';
import { fmt, table, type Records } from './format';

/** The database's growth curve of an append (raw driver), and the seeded pools. */

const s2 = (n: number) => `S2 append N=${n}`;

function linearFit(points: [number, number][]) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const b = sxx ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

function niceFloor(x: number): number {
  const steps = [
    500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000,
  ];
  return steps.reduce((best, s) => (s <= x ? s : best), steps[0]);
}

/** The raw driver's cost of an append against N, its fit and the cap it justifies. */
export function growthSection(
  recs: Records,
  connections: number,
): {
  lines: string[];
  growth: unknown;
} {
  const curve = N_VALUES.filter((n) => recs.has(s2(n), 'L1')).map((n) => {
    const l1 = recs.of(s2(n), 'L1');
    const svc = recs.of(s2(n), 'svc');
    const rps = median(l1.map((r) => r.rps));
    return {
      n,
      docKB: (seededEvents(n).bytes + 300) / 1024,
      l1Rps: rps,
      l1MsPerAppend: 1000 / rps,
      l1P50: median(l1.map((r) => r.p50)),
      svcRps: median(svc.map((r) => r.rps)),
      svcP50: median(svc.map((r) => r.p50)),
      engineCpu: median(l1.map((r) => r.engineCpuMsPerReq)),
    };
  });
  if (curve.length < 2) return { lines: [], growth: null };
  const fit = linearFit(curve.map((c) => [c.n, c.l1MsPerAppend]));
  const bytesPerEvent = seededEvents(100).bytes / 100;
  const nDouble = fit.b > 0 ? fit.a / fit.b : Infinity;
  const at = (n: number) => fit.a + fit.b * n;
  const first = curve[0];
  const last = curve[curve.length - 1];
  // The cap: an append at the cap costs at most ten times one on an empty
  // session (an order of magnitude), judged on the raw driver's curve.
  const nTen = fit.b > 0 ? (9 * fit.a) / fit.b : Infinity;
  const justified = niceFloor(nTen);
  const lines = [
    `Database-side growth of an append (raw driver L1, ${connections} in flight): the engine rewrites the whole document`,
    table(
      [
        'N',
        'doc KB',
        'L1 req/s',
        'engine ms/append',
        'L1 p50 ms',
        'engine CPU ms/req',
        'svc req/s',
        'svc p50 ms',
      ],
      curve.map((c) => [
        c.n,
        fmt(c.docKB, 0),
        fmt(c.l1Rps, 0),
        fmt(c.l1MsPerAppend, 2),
        fmt(c.l1P50, 1),
        fmt(c.engineCpu, 2),
        fmt(c.svcRps, 0),
        fmt(c.svcP50, 1),
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    `  engine ms/append = 1000 / L1 req/s. Fit: ${fit.a.toFixed(3)} ms + ${(fit.b * 1000).toFixed(2)} us x N (${bytesPerEvent.toFixed(0)} B per event: ${((fit.b * 1000 * 1024) / bytesPerEvent).toFixed(1)} us per KB of document).`,
    `  N=${last.n} vs N=${first.n}: an append costs ${fmt(first.l1Rps / last.l1Rps, 2)}x (raw driver), ${fmt(first.svcRps / last.svcRps, 2)}x (service).`,
    `  projected: ${fmt(at(10000), 1)} ms per append at N=10000 (the default MAX_EVENTS_PER_SESSION), ${fmt(at(20000), 1)} ms at N=20000, i.e. ${fmt(1000 / at(10000), 0)} and ${fmt(1000 / at(20000), 0)} appends/s for the whole engine.`,
    `  the rewrite costs as much as the rest of an append at N ~ ${fmt(nDouble, 0)}; an append costs 10x one on an empty session at N ~ ${fmt(nTen, 0)}.`,
    `  cap this curve justifies (an append at the cap costs <= 10x one on an empty session): ${justified} events (~${fmt((justified * bytesPerEvent) / 2 ** 20, 1)} MB of events at this event size).`,
    '',
  ];
  return {
    lines,
    growth: {
      curve,
      fit,
      bytesPerEvent,
      nDouble,
      nTen,
      at10k: at(10000),
      at20k: at(20000),
      justified,
    },
  };
}

export function poolsSection(drift: PoolDrift[]): string[] {
  return [
    'Seeded pools (N must change by under 5% during the run; a batch pool gives a session one batch when the batch is larger)',
    table(
      [
        'pool',
        'N',
        'sessions',
        'used',
        'max appends/session',
        'max stored N',
        'max growth',
        'overflow',
      ],
      drift.map((d) => [
        d.pool,
        d.n,
        d.sessions,
        d.sessionsUsed,
        d.maxAppendsPerSession,
        d.maxStoredN,
        d.maxGrowthPct === null
          ? `${d.maxStoredN - d.n} event(s)`
          : `${d.maxGrowthPct.toFixed(1)}%`,
        d.overflow,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  ];
}
