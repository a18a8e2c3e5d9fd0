import { median } from '../measure';
import type { FixedRate } from '../phases/main';
import { VARIANTS } from '../scenarios';
import { fmt, rounds, table, type Records } from './format';

/** The main table and its targets (T1-T4). */

export interface Target {
  name: string;
  value: string;
  threshold: string;
  pass: boolean;
  detail: string;
}

export function mainTable(recs: Records, cellNames: string[]): string {
  const rows: (string | number)[][] = [];
  for (const cell of cellNames) {
    for (const v of VARIANTS) {
      const rs = recs.of(cell, v);
      if (!rs.length) continue;
      const vs = (other: string) =>
        v === 'svc'
          ? recs.roundRatio([cell, 'svc'], [cell, other], (r) => r.rps).median
          : NaN;
      const hot = rs.some((r) => r.hotFinalN !== undefined)
        ? ` (N->${median(rs.map((r) => r.hotFinalN ?? NaN)).toFixed(0)})`
        : '';
      const m = (f: (r: (typeof rs)[number]) => number) => median(rs.map(f));
      rows.push([
        cell + hot,
        v,
        fmt(
          m((r) => r.rps),
          0,
        ),
        fmt(
          m((r) => r.p50),
          2,
        ),
        fmt(
          m((r) => r.p99),
          2,
        ),
        fmt(
          m((r) => r.cpuMsPerReq),
          3,
        ),
        fmt(
          m((r) => r.engineCpuMsPerReq),
          2,
        ),
        Number.isFinite(vs('L1')) ? vs('L1').toFixed(2) : '',
        Number.isFinite(vs('L2')) ? vs('L2').toFixed(2) : '',
        rs.reduce((s, r) => s + r.errors, 0),
      ]);
    }
  }
  return table(
    [
      'scenario',
      'var',
      'req/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'engine CPU',
      'svc/L1',
      'svc/L2',
      'err',
    ],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

const s2 = (n: number) => `S2 append N=${n}`;

export function mainTargets(
  recs: Records,
  fixedRate: FixedRate | null,
  connections: number,
): Target[] {
  const targets: Target[] = [];
  const t = (
    name: string,
    value: string,
    threshold: string,
    pass: boolean,
    detail: string,
  ) => targets.push({ name, value, threshold, pass, detail });
  if (recs.has(s2(0), 'svc') && recs.has(s2(0), 'L1')) {
    const r = recs.roundRatio([s2(0), 'svc'], [s2(0), 'L1'], (x) => x.rps);
    t(
      `T1 append throughput N=0, ${connections} conn: svc / L1`,
      r.median.toFixed(2),
      '>= 0.60',
      r.median >= 0.6,
      `per round ${rounds(r.rounds)}`,
    );
  }
  if (
    recs.has(s2(0), 'svc') &&
    recs.has(s2(5000), 'svc') &&
    recs.has(s2(5000), 'L1')
  ) {
    const per: { excess: number; base: number }[] = [];
    for (const a of recs.of(s2(5000), 'svc')) {
      const same = (cell: string, v: string) =>
        recs.of(cell, v).find((r) => r.round === a.round);
      const b = same(s2(0), 'svc');
      const c = same(s2(5000), 'L1');
      const d = same(s2(0), 'L1');
      if (b && c && d) {
        per.push({
          excess:
            a.cpuMsPerReq - b.cpuMsPerReq - (c.cpuMsPerReq - d.cpuMsPerReq),
          base: b.cpuMsPerReq,
        });
      }
    }
    const excess = median(per.map((p) => p.excess));
    const base = median(per.map((p) => p.base));
    t(
      'T2 CPU/append: svc(5000) - svc(0) - [L1(5000) - L1(0)]',
      `${excess.toFixed(3)} ms`,
      `< svc(0) = ${base.toFixed(3)} ms`,
      excess < base,
      `per round ${per.map((p) => `${p.excess.toFixed(3)} < ${p.base.toFixed(3)}`).join(', ')}`,
    );
  }
  for (const which of ['first', 'last']) {
    const a = `S4 page ${which} (N=5000)`;
    const b = `S4 page ${which} (N=100)`;
    if (recs.has(a, 'svc') && recs.has(b, 'svc')) {
      const r = recs.roundRatio([a, 'svc'], [b, 'svc'], (x) => x.p50);
      const l1 = recs.roundRatio([a, 'L1'], [b, 'L1'], (x) => x.p50);
      t(
        `T3 ${which} 50-event page, p50 at N=5000 / N=100 (svc)`,
        r.median.toFixed(2),
        '<= 3.00',
        r.median <= 3,
        `raw driver L1 ${fmt(l1.median, 2)}; per round ${rounds(r.rounds)}`,
      );
    }
  }
  if (fixedRate && recs.has(fixedRate.scenario, 'svc')) {
    const rs = recs.of(fixedRate.scenario, 'svc');
    const ratio = median(rs.map((r) => r.p99 / r.p50));
    t(
      `T4 p99 / p50 at ${fixedRate.rate} req/s (half of ${fixedRate.capacity.toFixed(0)}), append N=0`,
      ratio.toFixed(2),
      '<= 4.00',
      ratio <= 4,
      `p50 ${fmt(median(rs.map((r) => r.p50)), 2)} ms, p99 ${fmt(median(rs.map((r) => r.p99)), 2)} ms, achieved ${fmt(median(rs.map((r) => r.rps)), 0)} req/s (autocannon's fixed rate sends each connection's per-second quota back to back at the top of each second, so requests still queue)`,
    );
  }
  return targets;
}

export function targetsTable(targets: Target[]): string[] {
  const lines = [
    targets.length
      ? 'Targets'
      : 'Targets: none measured by this selection of scenarios',
    table(
      ['target', 'measured', 'threshold', 'result'],
      targets.map((x) => [
        x.name,
        x.value,
        x.threshold,
        x.pass ? 'PASS' : 'FAIL',
      ]),
      ['l', 'r', 'l', 'l'],
    ),
  ];
  for (const x of targets) lines.push(`  ${x.name.split(' ')[0]}: ${x.detail}`);
  return lines;
}
