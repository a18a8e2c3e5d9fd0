import { median } from '../measure';
import type { Options } from '../options';
import type { Pools } from '../scenarios';
import { Bench } from '../runner';
import {
  RATE_GUESS,
  variantsFor,
  type Cell,
  type WindowContext,
} from '../scenarios';
import { seededSession } from '../workload';

/**
 * The main table: every cell, each variant in turn, round after round; then
 * p99 at half of the measured append capacity.
 */

export interface FixedRate {
  capacity: number;
  rate: number;
  scenario: string;
}

/** Seeds the pools the cells need for their first round (sized by RATE_GUESS). */
export async function seedMain(
  cells: Cell[],
  pools: Pools,
  opts: Options,
): Promise<void> {
  const windowS = (opts.warmupMs + opts.measureMs) / 1000 + 0.3;
  for (const cell of cells) {
    if (cell.op === 'append' && cell.pool) {
      const guess =
        RATE_GUESS[cell.n ?? 0] *
        windowS *
        variantsFor(cell, opts).length *
        opts.rounds;
      await cell.pool.ensure(Math.ceil(guess));
    }
  }
}

/** JIT warm-up of every variant before the first measured window. */
export async function warmUp(bench: Bench, pools: Pools): Promise<void> {
  bench.log('warming up every variant');
  const cell: Cell = {
    key: 'W',
    scenario: 'warm-up append N=0',
    op: 'append',
    n: 0,
    pool: pools.append.get(0),
    expect: 201,
  };
  for (const v of ['svc', 'L2', 'L1'] as const) {
    await bench.runVariant(cell, v, 0, {}, { set: 'warmup' });
  }
}

export async function runMain(
  bench: Bench,
  cells: Cell[],
): Promise<FixedRate | null> {
  const { opts, col, tags } = bench;
  for (let round = 1; round <= opts.rounds; round++) {
    bench.log(`round ${round}/${opts.rounds}`);
    for (const cell of cells) {
      for (const v of Bench.rotation(variantsFor(cell, opts), round)) {
        const ctx: WindowContext = {};
        if (cell.hot) {
          ctx.hot = tags.next('h');
          await col.insertOne(seededSession(ctx.hot, 0));
        }
        const rec = await bench.runVariant(cell, v, round, ctx);
        if (cell.op === 'create') {
          // Keep the collection the same size from round to round: remove
          // the sessions this window created.
          await col.deleteMany({ sessionId: tags.createdRange() });
        }
        if (ctx.hot) {
          const doc = await col.findOne(
            { sessionId: ctx.hot },
            { projection: { _id: 0, eventCount: 1 } },
          );
          rec.hotFinalN = doc?.eventCount;
        }
      }
    }
  }
  return fixedRate(bench, cells);
}

/** p99 at half of the measured capacity (autocannon's fixed-rate mode). */
async function fixedRate(
  bench: Bench,
  cells: Cell[],
): Promise<FixedRate | null> {
  const capCell = cells.find((c) => c.op === 'append' && c.n === 0);
  if (!capCell) return null;
  const capacity = median(
    bench
      .recordsOf('main')
      .filter((r) => r.cell === capCell.scenario && r.variant === 'svc')
      .map((r) => r.rps),
  );
  const rate = Math.max(1, Math.round(capacity / 2));
  bench.log(
    `fixed rate: ${rate} req/s (half of the service's ${capacity.toFixed(0)} req/s)`,
  );
  const cell = { ...capCell, scenario: `P  append N=0 at ${rate} req/s` };
  for (let round = 1; round <= bench.opts.rounds; round++) {
    await bench.runVariant(
      cell,
      'svc',
      round,
      {},
      {
        shape: {
          warmupMs: bench.opts.warmupMs,
          measureMs: bench.opts.measureMs,
          connections: bench.opts.connections,
          overallRate: rate,
        },
      },
    );
  }
  return { capacity, rate, scenario: cell.scenario };
}
