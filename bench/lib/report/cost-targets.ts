import { median } from '../measure';
import { BATCH_N } from '../phases/batch';
import type { FixedRate } from '../phases/main';
import type { SoakResult } from '../phases/soak';
import { batchCell, cpu, eventsPerS } from './sections';
import { fmt, mib, rounds, table, type Records } from './format';

/**
 * The targets of the per-request cost, the soak and batch appends, each
 * stated as met or missed with its ratio (or not measured, and why).
 */

export interface CostTarget {
  name: string;
  measured: string;
  threshold: string;
  result: 'met' | 'missed' | 'not measured';
  detail: string;
}

export function costTargets(
  main: Records,
  quiet: Records,
  batch: Records,
  fixedRate: FixedRate | null,
  soak: SoakResult | null,
  quietOf: { create: string; append: string },
): CostTarget[] {
  const out: CostTarget[] = [];
  const add = (
    name: string,
    threshold: string,
    value: number | null,
    pass: (v: number) => boolean,
    measured: string,
    detail: string,
  ) =>
    out.push({
      name,
      threshold,
      detail,
      measured: value === null || !Number.isFinite(value) ? '-' : measured,
      result:
        value === null || !Number.isFinite(value)
          ? 'not measured'
          : pass(value)
            ? 'met'
            : 'missed',
    });
  for (const [what, cell] of [
    ['create', quietOf.create],
    ['append N=0', quietOf.append],
  ]) {
    const r = quiet.roundRatio([cell, 'svc'], [cell, 'L2'], cpu);
    const has = quiet.has(cell, 'svc') && quiet.has(cell, 'L2');
    add(
      `C1 service CPU/req, ${what}: svc / L2 (quiet)`,
      '<= 2.00',
      has ? r.median : null,
      (v) => v <= 2,
      `${fmt(r.median, 2)}x`,
      has
        ? `per round ${rounds(r.rounds)}; svc ${fmt(quiet.median(cell, 'svc', cpu), 3)} ms, L2 ${fmt(quiet.median(cell, 'L2', cpu), 3)} ms`
        : 'scenario Q not run',
    );
  }
  const s2 = (n: number) => `S2 append N=${n}`;
  const t1 = main.roundRatio([s2(0), 'svc'], [s2(0), 'L1'], (r) => r.rps);
  add(
    'C2 append throughput N=0: svc / L1 (T1)',
    '>= 0.60',
    t1.rounds.length ? t1.median : null,
    (v) => v >= 0.6,
    `${fmt(t1.median, 2)}x`,
    t1.rounds.length ? `per round ${rounds(t1.rounds)}` : 'S2 N=0 not run',
  );
  const fixed = fixedRate ? main.of(fixedRate.scenario, 'svc') : [];
  const t4 = median(fixed.map((r) => r.p99 / r.p50));
  add(
    'C3 p99 / p50 at half capacity (T4)',
    '<= 4.00',
    fixed.length ? t4 : null,
    (v) => v <= 4,
    `${fmt(t4, 2)}x`,
    fixedRate ? `at ${fixedRate.rate} req/s` : 'S2 N=0 not run',
  );
  const growth = (v: string) =>
    main.median(s2(5000), v, cpu) - main.median(s2(0), v, cpu);
  const [gs, gd] = [growth('svc'), growth('L1')];
  add(
    'C4 CPU/append growth N=0 -> 5000: svc / L1',
    '<= 1.00',
    Number.isFinite(gs) && Number.isFinite(gd) ? gs / gd : null,
    () => gs <= gd,
    `${fmt(gs / gd, 2)}x`,
    Number.isFinite(gs) && Number.isFinite(gd)
      ? `svc +${fmt(gs, 3)} ms, raw driver +${fmt(gd, 3)} ms per append`
      : 'S2 N=0 and N=5000 not run',
  );
  const soakRatio = (f: (l: SoakResult['start']) => number) =>
    soak ? f(soak.end) / f(soak.start) : null;
  const rss = soakRatio((l) => l.rssBytes);
  const heap = soakRatio((l) => l.heapUsedBytes);
  add(
    'C5 soak RSS: end / start',
    '<= 1.10',
    rss,
    (v) => v <= 1.1,
    `${fmt(rss, 2)}x`,
    soak
      ? `${mib(soak.start.rssBytes)} -> ${mib(soak.end.rssBytes)}`
      : 'soak not run',
  );
  add(
    'C6 soak heap used: end / start',
    '<= 1.10',
    heap,
    (v) => v <= 1.1,
    `${fmt(heap, 2)}x`,
    soak
      ? `${mib(soak.start.heapUsedBytes)} -> ${mib(soak.end.heapUsedBytes)}`
      : 'soak not run',
  );
  const errors = soak ? soak.errorResponses + soak.socketErrors : null;
  add(
    'C7 soak error responses',
    '= 0',
    errors,
    (v) => v === 0,
    String(errors),
    soak ? `of ${soak.requests} requests` : 'soak not run',
  );
  for (const n of BATCH_N) {
    const r = batch.roundRatio(
      [batchCell(50, n), 'svc'],
      [batchCell(null, n), 'svc'],
      eventsPerS,
    );
    add(
      `B1 events/s, batches of 50 / single appends, N=${n}`,
      '>= 10.00',
      r.rounds.length ? r.median : null,
      (v) => v >= 10,
      `${fmt(r.median, 2)}x`,
      r.rounds.length
        ? `per round ${rounds(r.rounds)}`
        : 'batch scenario not run or skipped',
    );
  }
  return out;
}

export function costTargetsTable(targets: CostTarget[]): string[] {
  return [
    'Targets of the per-request cost, the soak and batch appends',
    table(
      ['target', 'measured', 'threshold', 'result'],
      targets.map((t) => [t.name, t.measured, t.threshold, t.result]),
      ['l', 'r', 'l', 'l'],
    ),
    ...targets.map((t) => `  ${t.name.split(' ')[0]}: ${t.detail}`),
    '',
  ];
}
