/**
 * L1, the physical limit: the raw driver doing the service's database
 * operation, with as many operations in flight as autocannon has connections,
 * and no HTTP. A child process of bench/run.ts, so that its CPU is measured on
 * its own (process.cpuUsage(): every thread, user + system). Driven over IPC:
 * {type:'run', ...} -> {type:'result', ...}.
 */
import {
  toParent,
  type L1Result,
  type L1Run,
  type L1Spec,
  type ParentMessage,
} from './lib/ipc';
import { LatencyRecorder, sleep } from './lib/measure';
import { opAppend, opCreate, opPage, opReplay } from './lib/operations';
import { preload } from './lib/service-rules';
import {
  connect,
  newEventBody,
  seededEventBody,
  sessionsOf,
  type SessionCollection,
} from './lib/workload';

/** One operation of the window's kind; throws when the result is not the expected one. */
function makeOp(col: SessionCollection, spec: L1Spec) {
  let n = 0;
  let idx = 0;
  const state = { wrapped: false };
  const ids = spec.ids ?? [];
  const nextId = () => {
    if (idx >= ids.length) state.wrapped = true;
    return ids[idx++ % ids.length];
  };
  const ops: Record<L1Spec['op'], () => Promise<void>> = {
    create: async () => {
      await opCreate(col, `${spec.tag}-${n++}`);
    },
    append: async () => {
      const sessionId = spec.hot ?? nextId();
      const r = await opAppend(
        col,
        sessionId,
        newEventBody(`${spec.tag}-${n++}`),
      );
      if (!r) throw new Error(`append to ${sessionId} matched nothing`);
    },
    replay: async () => {
      const sessionId = nextId();
      const r = await opReplay(
        col,
        sessionId,
        seededEventBody(spec.eventIndex ?? 0),
      );
      if (!r || r.created)
        throw new Error(`replay in ${sessionId} was not a replay`);
    },
    page: async () => {
      const sessionId = nextId();
      const doc = await opPage(
        col,
        sessionId,
        spec.after ?? 0,
        spec.limit ?? 50,
      );
      if (doc?.events.length !== spec.limit) {
        throw new Error(
          `page of ${sessionId} has ${doc?.events.length} events`,
        );
      }
    },
  };
  return { op: ops[spec.op], state };
}

async function runWindow(
  col: SessionCollection,
  msg: L1Run,
): Promise<L1Result> {
  const { op, state } = makeOp(col, msg.spec);
  const lat = new LatencyRecorder();
  const limit = msg.amount ?? Infinity;
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  let stop = false;

  const worker = async () => {
    while (!stop && started < limit) {
      const s = performance.now();
      const inWindow = measuring;
      started++;
      try {
        await op();
        if (inWindow && measuring) lat.add(performance.now() - s);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const measure = async (body: () => Promise<void>) => {
    toParent({ type: 'mark', id: msg.id, phase: 'start' });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    measuring = true;
    await body();
    measuring = false;
    const elapsedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    toParent({ type: 'mark', id: msg.id, phase: 'end' });
    return { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  let timing: { elapsedMs: number; cpuMs: number };
  if (msg.amount !== undefined) {
    timing = await measure(() =>
      Promise.all(Array.from({ length: msg.concurrency }, worker)).then(
        () => undefined,
      ),
    );
  } else {
    const workers = Array.from({ length: msg.concurrency }, worker);
    await sleep(msg.warmupMs);
    timing = await measure(() => sleep(msg.measureMs));
    stop = true;
    await Promise.all(workers);
  }
  return {
    count: lat.count,
    errors,
    firstError,
    started,
    used: Math.min(started, msg.spec.ids?.length ?? 0),
    wrapped: state.wrapped,
    ...timing,
    latency: lat.summary(),
  };
}

async function main() {
  preload();
  const client = await connect(process.env.BENCH_URI ?? '');
  const col = sessionsOf(client);
  await client.db().command({ ping: 1 });
  process.on('message', (msg: ParentMessage) => {
    if (msg.type === 'run') {
      runWindow(col, msg).then(
        (result) => toParent({ type: 'result', id: msg.id, result }),
        (error: unknown) =>
          toParent({
            type: 'result',
            id: msg.id,
            error:
              error instanceof Error
                ? (error.stack ?? error.message)
                : String(error),
          }),
      );
    } else if (msg.type === 'exit') {
      void client.close().finally(() => process.exit(0));
    }
  });
  toParent({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
