import type { Request } from 'autocannon';
import type { OpKind } from './ipc';
import { selected, type Options } from './options';
import { AppendPool, ReadPool } from './pools';
import {
  newEventBody,
  seededEventBody,
  type SessionCollection,
} from './workload';

/** The scenarios of the main table: what each cell sends, and to which sessions. */

export type Variant = 'svc' | 'L2' | 'L1';
export const VARIANTS: Variant[] = ['svc', 'L2', 'L1'];

export const N_VALUES = [0, 100, 1000, 5000];
export const REPLAY_N = 1000;
export const PAGE_N = [100, 5000];
export const PAGE = 50;
/** Expected appends/s per variant on a small machine; only sizes the first seeding. */
export const RATE_GUESS: Record<number, number> = {
  0: 600,
  100: 500,
  1000: 300,
  5000: 120,
};

export interface Cell {
  /** The --only key: S1, S2, S2H, S3, S4, B. */
  key: string;
  /** Its row label in the report. */
  scenario: string;
  op: OpKind | 'batch';
  /** The status a successful request gets. */
  expect: number;
  n?: number;
  pool?: AppendPool;
  read?: ReadPool;
  /** Every append goes to one fresh session. */
  hot?: boolean;
  eventIndex?: number;
  after?: number;
  /** Events per request (the batch route). */
  batch?: number;
  /** Read-side scenarios run L2 only with --l2-all. */
  readSide?: boolean;
}

/** Unique id prefixes: every id a run creates starts with its run tag. */
export class Tags {
  private seq = 0;
  readonly run = Date.now().toString(36);

  next(prefix: string): string {
    return `${prefix}${this.run}x${(this.seq++).toString(36)}`;
  }

  /** The range of session ids the creates of this run use (prefix `c`). */
  createdRange() {
    return { $gte: `c${this.run}`, $lt: `c${this.run}\uffff` };
  }
}

export interface Pools {
  append: Map<number, AppendPool>;
  read: Map<number, ReadPool>;
}

export function makePools(col: SessionCollection): Pools {
  return {
    append: new Map(N_VALUES.map((n) => [n, new AppendPool(col, `a${n}`, n)])),
    read: new Map(
      [100, REPLAY_N, 5000].map((n) => [n, new ReadPool(`r${n}`, n, 8)]),
    ),
  };
}

/** The cells of the main table this run measures. */
export function makeCells(pools: Pools, opts: Options): Cell[] {
  const cells: Cell[] = [
    { key: 'S1', scenario: 'S1 create', op: 'create', expect: 201 },
  ];
  for (const n of N_VALUES) {
    cells.push({
      key: 'S2',
      scenario: `S2 append N=${n}`,
      op: 'append',
      n,
      pool: pools.append.get(n),
      expect: 201,
    });
  }
  cells.push({
    key: 'S2H',
    scenario: 'S2h append, 1 hot session',
    op: 'append',
    hot: true,
    expect: 201,
  });
  for (const which of ['latest', 'oldest']) {
    cells.push({
      key: 'S3',
      scenario: `S3 replay ${which} (N=${REPLAY_N})`,
      op: 'replay',
      read: pools.read.get(REPLAY_N),
      eventIndex: which === 'latest' ? REPLAY_N - 1 : 0,
      expect: 200,
      readSide: true,
    });
  }
  for (const n of PAGE_N) {
    for (const which of ['first', 'last']) {
      cells.push({
        key: 'S4',
        scenario: `S4 page ${which} (N=${n})`,
        op: 'page',
        n,
        read: pools.read.get(n),
        after: which === 'first' ? 0 : n - PAGE,
        expect: 200,
        readSide: true,
      });
    }
  }
  return cells.filter((c) => selected(opts, c.key));
}

export function variantsFor(cell: Cell, opts: Options): Variant[] {
  if (cell.op === 'batch') return ['svc'];
  return cell.readSide && !opts.l2All ? ['svc', 'L1'] : VARIANTS;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Per-window context: the hot session of an S2h window. */
export interface WindowContext {
  hot?: string;
}

/** The autocannon request of one window of an HTTP variant (svc or L2). */
export function httpRequestFor(
  cell: Cell,
  ctx: WindowContext,
  tags: Tags,
): Request {
  const tag = tags.next(cell.op === 'create' ? 'c' : 'n');
  let k = 0;
  const sessionFor = () => {
    if (ctx.hot) return ctx.hot;
    if (cell.pool) return cell.pool.takeId();
    if (cell.read) return cell.read.next();
    throw new Error(`${cell.scenario}: no sessions`);
  };
  switch (cell.op) {
    case 'create':
      return {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: '/sessions',
          headers: JSON_HEADERS,
          body: JSON.stringify({ sessionId: `${tag}-${k++}`, language: 'en' }),
        }),
      };
    case 'append':
      return {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: `/sessions/${sessionFor()}/events`,
          headers: JSON_HEADERS,
          body: JSON.stringify(newEventBody(`${tag}-${k++}`)),
        }),
      };
    case 'batch': {
      const size = cell.batch ?? 1;
      return {
        method: 'POST',
        setupRequest: (req) => {
          const events = Array.from({ length: size }, () =>
            newEventBody(`${tag}-${k++}`),
          );
          return {
            ...req,
            path: `/sessions/${sessionFor()}/events/batch`,
            headers: JSON_HEADERS,
            body: JSON.stringify({ events }),
          };
        },
      };
    }
    case 'replay': {
      const body = JSON.stringify(seededEventBody(cell.eventIndex ?? 0));
      return {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: `/sessions/${sessionFor()}/events`,
          headers: JSON_HEADERS,
          body,
        }),
      };
    }
    case 'page':
      return {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: `/sessions/${sessionFor()}/events?after=${cell.after ?? 0}&limit=${PAGE}`,
        }),
      };
  }
}
