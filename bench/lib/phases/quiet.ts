import type { WindowShape } from '../load';
import { selected, type Options } from '../options';
import { Bench } from '../runner';
import { REPLAY_N, VARIANTS, type Cell, type Pools } from '../scenarios';

/**
 * The quieter measure of CPU per request: many short rounds of a fixed number
 * of requests, the three variants alternating within each round, so that a
 * burst of noise from another process spoils one short window, not a figure.
 * The report takes the median and the minimum over rounds.
 */

export const QUIET_PAGE_N = 100;

export function makeQuietCells(pools: Pools, opts: Options): Cell[] {
  if (!selected(opts, 'Q')) return [];
  return [
    { key: 'Q', scenario: 'Q create', op: 'create', expect: 201 },
    {
      key: 'Q',
      scenario: 'Q append N=0',
      op: 'append',
      n: 0,
      pool: pools.append.get(0),
      expect: 201,
    },
    {
      key: 'Q',
      scenario: `Q replay (N=${REPLAY_N})`,
      op: 'replay',
      read: pools.read.get(REPLAY_N),
      eventIndex: REPLAY_N - 1,
      expect: 200,
    },
    {
      key: 'Q',
      scenario: `Q 50-event page (N=${QUIET_PAGE_N})`,
      op: 'page',
      n: QUIET_PAGE_N,
      read: pools.read.get(QUIET_PAGE_N),
      after: 0,
      expect: 200,
    },
  ];
}

export async function runQuiet(bench: Bench, cells: Cell[]): Promise<void> {
  if (!cells.length) return;
  const { opts, col, tags } = bench;
  const shape = (amount: number): WindowShape => ({
    warmupMs: 0,
    measureMs: 0,
    connections: opts.connections,
    amount,
  });
  bench.log(
    `quiet measure: ${opts.quietRounds} rounds of ${opts.quietRequests} requests per variant`,
  );
  // One unrecorded round warms every path up (create, replay, page).
  for (let round = 0; round <= opts.quietRounds; round++) {
    const set = round === 0 ? 'warmup' : 'quiet';
    const amount =
      round === 0 ? Math.ceil(opts.quietRequests / 4) : opts.quietRequests;
    if (round > 0) bench.log(`quiet round ${round}/${opts.quietRounds}`);
    for (const cell of cells) {
      for (const v of Bench.rotation(VARIANTS, Math.max(1, round))) {
        await bench.runVariant(
          cell,
          v,
          round,
          {},
          { set, shape: shape(amount) },
        );
        if (cell.op === 'create') {
          await col.deleteMany({ sessionId: tags.createdRange() });
        }
      }
    }
  }
}
