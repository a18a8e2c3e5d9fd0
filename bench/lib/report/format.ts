import { median } from '../measure';
import type { WindowRecord } from '../runner';

/** Number formatting, plain-text tables and per-round ratios for the report. */

export function fmt(x: number | null | undefined, d = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return x.toFixed(d);
}

export function mib(bytes: number): string {
  return `${fmt(bytes / 2 ** 20, 1)} MiB`;
}

export function table(
  headers: string[],
  rows: (string | number)[][],
  align: ('l' | 'r')[],
): string {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => String(r[i]).length)),
  );
  const line = (cells: (string | number)[]) =>
    cells
      .map((c, i) =>
        align[i] === 'l'
          ? String(c).padEnd(widths[i])
          : String(c).padStart(widths[i]),
      )
      .join('  ');
  return [
    line(headers),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** The records of one cell and variant. */
export class Records {
  constructor(readonly all: WindowRecord[]) {}

  of(cell: string, variant: string): WindowRecord[] {
    return this.all.filter((r) => r.cell === cell && r.variant === variant);
  }

  has(cell: string, variant: string): boolean {
    return this.of(cell, variant).length > 0;
  }

  /** Median over rounds of one metric. */
  median(cell: string, variant: string, metric: (r: WindowRecord) => number) {
    return median(this.of(cell, variant).map(metric));
  }

  /** Per-round ratio a/b of a metric, and its median over rounds. */
  roundRatio(
    a: [cell: string, variant: string],
    b: [cell: string, variant: string],
    metric: (r: WindowRecord) => number,
  ): { median: number; rounds: number[] } {
    const ratios: number[] = [];
    for (const ra of this.of(...a)) {
      const rb = this.of(...b).find((r) => r.round === ra.round);
      if (rb) ratios.push(metric(ra) / metric(rb));
    }
    return { median: median(ratios), rounds: ratios };
  }
}

export const rounds = (xs: number[], d = 2) =>
  xs.map((x) => x.toFixed(d)).join(', ');
