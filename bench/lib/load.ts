import autocannon, { type Request, type Result } from 'autocannon';
import {
  LatencyRecorder,
  procCpuMs,
  type EngineCpu,
  type LatencySummary,
} from './measure';
import type { Options } from './options';
import type { Comparator } from './processes';
import {
  PAGE,
  httpRequestFor,
  type Cell,
  type Tags,
  type WindowContext,
} from './scenarios';

/** One window of load on one variant, and what it measured. */

export interface WindowResult {
  /** Requests answered with the cell's expected status, in the measurement. */
  count: number;
  errors: number;
  firstError?: string;
  wrapped?: boolean;
  statuses: Record<string, number>;
  elapsedMs: number;
  /** CPU of the variant's process during the measurement. */
  cpuMs: number;
  engineMs: number;
  latency: LatencySummary;
}

/** How a window is sized: by time (warm-up + measurement), or by a number of requests. */
export interface WindowShape {
  warmupMs: number;
  measureMs: number;
  connections: number;
  /** Exactly this many requests, all measured, no warm-up. */
  amount?: number;
  /** Requests per second over all connections (autocannon's fixed rate). */
  overallRate?: number;
}

export function windowShape(opts: Options): WindowShape {
  return {
    warmupMs: opts.warmupMs,
    measureMs: opts.measureMs,
    connections: opts.connections,
  };
}

export function runAutocannon(
  url: string,
  request: Request,
  shape: {
    connections: number;
    durationMs?: number;
    amount?: number;
    overallRate?: number;
  },
  onResponse?: (status: number, ms: number) => void,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: shape.connections,
        ...(shape.amount
          ? { amount: shape.amount }
          : { duration: (shape.durationMs ?? 1000) / 1000 }),
        sampleInt: 100,
        timeout: 60,
        requests: [request],
        ...(shape.overallRate ? { overallRate: shape.overallRate } : {}),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    if (onResponse) {
      instance.on('response', (_client, status, _bytes, ms) =>
        onResponse(status, ms),
      );
    }
  });
}

/** One window of an HTTP variant (svc or L2), CPU read from /proc/<pid>/stat. */
export async function httpWindow(
  cell: Cell,
  target: { url: string; pid: number },
  ctx: WindowContext,
  tags: Tags,
  engine: EngineCpu,
  shape: WindowShape,
): Promise<WindowResult> {
  const request = httpRequestFor(cell, ctx, tags);
  if (!shape.amount) {
    await runAutocannon(target.url, request, {
      connections: shape.connections,
      durationMs: shape.warmupMs,
      overallRate: shape.overallRate,
    });
  }
  const lat = new LatencyRecorder(4_000_000);
  const statuses: Record<string, number> = {};
  let all = 0;
  const onResponse = (status: number, ms: number) => {
    all++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === cell.expect) lat.add(ms);
  };
  const e0 = engine.ms();
  const c0 = procCpuMs(target.pid);
  const t0 = performance.now();
  const res = await runAutocannon(
    target.url,
    request,
    {
      connections: shape.connections,
      durationMs: shape.measureMs,
      amount: shape.amount,
      overallRate: shape.overallRate,
    },
    onResponse,
  );
  const elapsedMs = performance.now() - t0;
  const cpuMs = procCpuMs(target.pid) - c0;
  const engineMs = engine.ms() - e0;
  return {
    count: lat.count,
    errors: all - lat.count + res.errors,
    statuses,
    elapsedMs,
    cpuMs,
    engineMs,
    latency: lat.summary(),
  };
}

/** One window of the raw driver in its own process. */
export async function l1Window(
  cell: Cell,
  l1: Comparator,
  ctx: WindowContext,
  tags: Tags,
  engine: EngineCpu,
  shape: WindowShape,
  /** Append windows: how many sessions to hand over up front. */
  expected: number,
): Promise<WindowResult> {
  if (cell.op === 'batch') throw new Error('L1 has no batch operation');
  const spec: Parameters<Comparator['request']>[0]['spec'] = {
    op: cell.op,
    tag: tags.next(cell.op === 'create' ? 'c' : 'l'),
  };
  const taken: number[] = [];
  const pool = cell.pool;
  if (cell.op === 'append' && ctx.hot) spec.hot = ctx.hot;
  else if (cell.op === 'append' && pool) {
    for (let i = 0; i < expected; i++) taken.push(pool.take());
    spec.ids = taken.map((i) => pool.ids[i]);
  } else if (cell.read) {
    spec.ids = cell.read.ids;
    if (cell.op === 'replay') spec.eventIndex = cell.eventIndex;
    if (cell.op === 'page')
      Object.assign(spec, { after: cell.after, limit: PAGE });
  }
  let e0 = NaN;
  let e1 = NaN;
  const r = await l1.request(
    {
      type: 'run',
      spec,
      concurrency: shape.connections,
      warmupMs: shape.warmupMs,
      measureMs: shape.measureMs,
      amount: shape.amount,
    },
    (phase) => {
      if (phase === 'start') e0 = engine.ms();
      else e1 = engine.ms();
    },
  );
  if (pool && taken.length) pool.giveBack(taken.slice(r.used));
  return {
    count: r.count,
    errors: r.errors,
    firstError: r.firstError,
    wrapped: r.wrapped,
    statuses: {},
    elapsedMs: r.elapsedMs,
    cpuMs: r.cpuMs,
    engineMs: e1 - e0,
    latency: r.latency,
  };
}
