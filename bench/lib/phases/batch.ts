import { selected, type Options } from '../options';
import { AppendPool } from '../pools';
import { Bench } from '../runner';
import type { Cell } from '../scenarios';
import { newEventBody, type SessionCollection } from '../workload';

/**
 * Batch appends (POST /sessions/{id}/events/batch, body { events: [...] }):
 * events per second and CPU per event through batches of several sizes, next
 * to single appends on the same sessions' size, the variants alternating.
 */

export const BATCH_SIZES = [1, 10, 50, 200];
export const BATCH_N = [0, 1000];

/** Whether the service has the batch route, and if not, the line the report prints. */
export interface BatchRoute {
  available: boolean;
  detail: string;
}

/**
 * Asks the service for a batch on a session that does not exist: the route
 * answers 404 SESSION_NOT_FOUND; a service without the route answers with
 * another problem (404 ROUTE_NOT_FOUND, or 405 METHOD_NOT_ALLOWED).
 */
export async function probeBatchRoute(url: string): Promise<BatchRoute> {
  const path = '/sessions/no-such-session-bench-probe/events/batch';
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [newEventBody('probe-1')] }),
  });
  const text = await res.text();
  let code = '';
  try {
    const problem = JSON.parse(text) as { code?: unknown };
    if (typeof problem.code === 'string') code = problem.code;
  } catch {
    // not JSON: no code
  }
  if (res.status === 404 && code === 'SESSION_NOT_FOUND') {
    return { available: true, detail: `POST ${path} -> 404 SESSION_NOT_FOUND` };
  }
  const answer = `${res.status}${code ? ` ${code}` : ''}`;
  // Without the route, POST .../events/batch matches no route (404
  // ROUTE_NOT_FOUND) or only GET .../events/{eventId} (405).
  const noRoute =
    (res.status === 404 && code !== 'SESSION_NOT_FOUND') || res.status === 405;
  return {
    available: false,
    detail: noRoute
      ? `the service has no batch route (POST /sessions/{id}/events/batch answered ${answer})`
      : `the batch route answered ${answer} to a valid batch for an unknown session (expected 404 SESSION_NOT_FOUND)`,
  };
}

/** The batch cells, with pools of their own: a session takes up to 4.5% of N in events, or one batch. */
export function makeBatchCells(col: SessionCollection, opts: Options): Cell[] {
  if (!selected(opts, 'B')) return [];
  const cells: Cell[] = [];
  for (const n of BATCH_N) {
    const capEvents = n === 0 ? 1 : Math.max(1, Math.floor(0.045 * n));
    cells.push({
      key: 'B',
      scenario: `B single appends N=${n}`,
      op: 'append',
      n,
      pool: new AppendPool(col, `bs${n}`, n, capEvents),
      expect: 201,
    });
    for (const size of BATCH_SIZES) {
      cells.push({
        key: 'B',
        scenario: `B batch of ${size} N=${n}`,
        op: 'batch',
        n,
        batch: size,
        pool: new AppendPool(
          col,
          `b${size}n${n}`,
          n,
          Math.max(1, Math.floor(capEvents / size)),
        ),
        expect: 201,
      });
    }
  }
  return cells;
}

export async function runBatch(
  bench: Bench,
  cells: Cell[],
): Promise<BatchRoute | null> {
  if (!cells.length) return null;
  const route = await probeBatchRoute(bench.targets.svc.url);
  if (!route.available) {
    bench.log(`batch scenario skipped: ${route.detail}`);
    return route;
  }
  for (let round = 1; round <= bench.opts.rounds; round++) {
    bench.log(`batch round ${round}/${bench.opts.rounds}`);
    for (const n of BATCH_N) {
      const ofN = cells.filter((c) => c.n === n);
      for (const cell of Bench.rotation(ofN, round)) {
        await bench.runVariant(cell, 'svc', round, {}, { set: 'batch' });
      }
    }
  }
  return route;
}
