'use strict';
/**
 * L1, the physical limit: the raw driver doing the service's database
 * operation, with the same number of operations in flight as autocannon has
 * connections, and no HTTP. Runs as a child process of bench/run.js so that
 * its CPU is measured on its own (process.cpuUsage(): every thread, user +
 * system). Driven over IPC: {type:'run', ...} -> {type:'result', ...}.
 */
const {
  connect,
  opAppend,
  opCreate,
  opPage,
  opReplay,
  seededEvent,
  latencySummary,
  PAYLOAD,
  EVENT_TYPE,
} = require('./lib/common');

const uri = process.env.BENCH_URI;
let col;

function nextBody(spec, n) {
  return {
    eventId: `${spec.tag}-${n}`,
    type: EVENT_TYPE,
    payload: PAYLOAD,
    timestamp: new Date().toISOString(),
  };
}

/** One operation of the window's kind; throws when the result is not the expected one. */
function makeOp(spec) {
  let n = 0;
  let idx = 0;
  const ids = spec.ids ?? [];
  const nextId = () => {
    if (idx >= ids.length) spec.wrapped = true;
    return ids[idx++ % ids.length];
  };
  switch (spec.op) {
    case 'create':
      return async () => {
        await opCreate(col, `${spec.tag}-${n++}`, 'en', {});
      };
    case 'append':
      return async () => {
        const sessionId = spec.hot ?? nextId();
        const r = await opAppend(col, sessionId, nextBody(spec, n++));
        if (!r) throw new Error(`append to ${sessionId} matched nothing`);
      };
    case 'replay': {
      const e = seededEvent(spec.eventIndex);
      const body = { ...e, timestamp: e.timestamp.toISOString() };
      return async () => {
        const sessionId = nextId();
        const r = await opReplay(col, sessionId, body);
        if (!r || r.created)
          throw new Error(`replay in ${sessionId} was not a replay`);
      };
    }
    case 'page':
      return async () => {
        const sessionId = nextId();
        const doc = await opPage(col, sessionId, spec.after, spec.limit);
        if (!doc || doc.events.length !== spec.limit) {
          throw new Error(
            `page of ${sessionId} has ${doc?.events.length} events`,
          );
        }
      };
    default:
      throw new Error(`unknown op ${spec.op}`);
  }
}

async function runWindow(msg) {
  const { spec, concurrency, warmupMs, measureMs } = msg;
  const op = makeOp(spec);
  const lat = new Float64Array(2_000_000);
  let count = 0;
  let started = 0;
  let errors = 0;
  let firstError;
  let measuring = false;
  let stop = false;

  const worker = async () => {
    while (!stop) {
      const s = performance.now();
      const inWindow = measuring;
      started++;
      try {
        await op();
        if (inWindow && measuring) {
          if (count < lat.length) lat[count] = performance.now() - s;
          count++;
        }
      } catch (error) {
        errors++;
        firstError ??= String(error?.message ?? error);
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((r) => setTimeout(r, warmupMs));
  process.send({ type: 'mark', id: msg.id, phase: 'start' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  measuring = true;
  await new Promise((r) => setTimeout(r, measureMs));
  measuring = false;
  const t1 = performance.now();
  const cpu1 = process.cpuUsage(cpu0);
  process.send({ type: 'mark', id: msg.id, phase: 'end' });
  stop = true;
  await Promise.all(workers);
  return {
    count,
    errors,
    firstError,
    started,
    used: Math.min(started, spec.ids?.length ?? 0),
    wrapped: Boolean(spec.wrapped),
    elapsedMs: t1 - t0,
    cpuMs: (cpu1.user + cpu1.system) / 1000,
    latency: latencySummary(lat, Math.min(count, lat.length)),
  };
}

async function main() {
  const client = await connect(uri);
  col = client.db().collection('sessions');
  await client.db().command({ ping: 1 });
  process.on('message', (msg) => {
    if (msg.type === 'run') {
      runWindow(msg).then(
        (result) => process.send({ type: 'result', id: msg.id, result }),
        (error) =>
          process.send({
            type: 'result',
            id: msg.id,
            error: String(error?.stack ?? error),
          }),
      );
    } else if (msg.type === 'exit') {
      client.close().finally(() => process.exit(0));
    }
  });
  process.send({ type: 'ready', pid: process.pid });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
