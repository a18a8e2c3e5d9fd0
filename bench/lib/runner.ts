import type { ServiceProcess } from '../../scripts/lib/process';
import { httpWindow, l1Window, windowShape, type WindowShape } from './load';
import type { EngineCpu } from './measure';
import type { Log, Options } from './options';
import { recoverEngine, type Comparator } from './processes';
import {
  RATE_GUESS,
  type Cell,
  type Tags,
  type Variant,
  type WindowContext,
} from './scenarios';
import type { SessionCollection } from './workload';

/** Which part of the report a window belongs to. */
export type RecordSet = 'main' | 'quiet' | 'batch' | 'warmup';

/** One measured window: the raw material of every figure in the report. */
export interface WindowRecord {
  set: RecordSet;
  cell: string;
  key: string;
  variant: Variant;
  round: number;
  n?: number;
  /** Events per request (batch cells). */
  batch?: number;
  rps: number;
  count: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  cpuMsPerReq: number;
  engineCpuMsPerReq: number;
  elapsedMs: number;
  overallRate?: number;
  firstError?: string;
  wrapped?: boolean;
  /** S2h: the hot session's event count after the window. */
  hotFinalN?: number;
}

export interface Targets {
  svc: ServiceProcess;
  L2: Comparator;
  L1: Comparator;
}

/** What a run shares: its options, processes, database and the records so far. */
export class Bench {
  readonly records: WindowRecord[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly opts: Options,
    readonly log: Log,
    readonly col: SessionCollection,
    readonly targets: Targets,
    readonly tags: Tags,
    readonly engine: EngineCpu,
  ) {}

  recordsOf(set: RecordSet): WindowRecord[] {
    return this.records.filter((r) => r.set === set);
  }

  /** The fastest earlier window of this cell and variant, in requests/s. */
  private fastest(cell: Cell, variant: Variant): number | undefined {
    const rs = this.records
      .filter((r) => r.cell === cell.scenario && r.variant === variant)
      .map((r) => r.rps);
    return rs.length ? Math.max(...rs) : undefined;
  }

  /** Room in the cell's pool for one window (L1 takes its list up front). */
  private async makeRoom(
    cell: Cell,
    variant: Variant,
    shape: WindowShape,
  ): Promise<number> {
    if (!cell.pool) return 0;
    const guess =
      (RATE_GUESS[cell.n ?? 0] ?? 300) * 1.5 * (10 / (10 + (cell.batch ?? 0)));
    const rate = shape.overallRate ?? this.fastest(cell, variant) ?? guess;
    const windowS = (shape.warmupMs + shape.measureMs) / 1000 + 0.3;
    const expected = shape.amount
      ? Math.ceil(shape.amount * 1.05 + 4 * shape.connections)
      : Math.ceil(rate * windowS * 1.3 + 4 * shape.connections);
    const l1List = Math.ceil(expected * 1.25);
    const grown = await cell.pool.ensure(variant === 'L1' ? l1List : expected);
    if (grown) this.log(`  pool ${cell.pool.name}: +${grown} sessions`);
    return l1List;
  }

  /** Runs one window; on errors checks the engine (restarting a local one that went away) and retries once. */
  async runVariant(
    cell: Cell,
    variant: Variant,
    round: number,
    ctx: WindowContext,
    {
      set = 'main',
      shape = windowShape(this.opts),
    }: { set?: RecordSet; shape?: WindowShape } = {},
  ): Promise<WindowRecord> {
    for (let attempt = 1; ; attempt++) {
      const l1List = await this.makeRoom(cell, variant, shape);
      const w =
        variant === 'L1'
          ? await l1Window(
              cell,
              this.targets.L1,
              ctx,
              this.tags,
              this.engine,
              shape,
              l1List,
            )
          : await httpWindow(
              cell,
              this.targets[variant],
              ctx,
              this.tags,
              this.engine,
              shape,
            );
      const count = Math.max(1, w.count);
      const rec: WindowRecord = {
        set,
        cell: cell.scenario,
        key: cell.key,
        variant,
        round,
        ...(cell.n !== undefined ? { n: cell.n } : {}),
        ...(cell.batch !== undefined ? { batch: cell.batch } : {}),
        rps: (w.count * 1000) / w.elapsedMs,
        count: w.count,
        errors: w.errors,
        statuses: w.statuses,
        p50: w.latency.p50,
        p90: w.latency.p90,
        p99: w.latency.p99,
        mean: w.latency.mean,
        cpuMsPerReq: w.cpuMs / count,
        engineCpuMsPerReq: w.engineMs / count,
        elapsedMs: w.elapsedMs,
        ...(shape.overallRate ? { overallRate: shape.overallRate } : {}),
        ...(w.firstError ? { firstError: w.firstError } : {}),
        ...(w.wrapped ? { wrapped: true } : {}),
      };
      const bad = rec.errors > Math.max(2, rec.count * 0.01) || rec.count === 0;
      const what = `${rec.errors} errors / ${rec.count} ok ${JSON.stringify(w.statuses)} ${w.firstError ?? ''}`;
      if (bad && attempt === 1) {
        this.log(
          `  ${cell.scenario} ${variant}: ${what}; checking the engine and retrying`,
        );
        const note = await recoverEngine(this.opts, this.targets.svc, this.log);
        if (note) this.notes.push(note);
        continue;
      }
      if (bad)
        this.notes.push(`${cell.scenario} ${variant} round ${round}: ${what}`);
      if (set !== 'warmup') {
        this.records.push(rec);
        this.log(
          `  ${cell.scenario.padEnd(28)} ${variant.padEnd(3)} ${rec.rps.toFixed(0).padStart(6)} req/s  p50 ${rec.p50.toFixed(2)} ms  p99 ${rec.p99.toFixed(2)} ms  cpu ${rec.cpuMsPerReq.toFixed(3)} ms/req`,
        );
      }
      return rec;
    }
  }

  /** Variants of a round in rotated order, so no variant always runs first. */
  static rotation<T>(variants: T[], round: number): T[] {
    const shift = (round - 1) % variants.length;
    return variants.slice(shift).concat(variants.slice(0, shift));
  }
}
