#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the performance harness (a script, not a test).
 *
 * Starts the database engine (unless --uri / MONGODB_URI names one), builds
 * and starts the service (`node dist/main.js`, production settings), seeds
 * sessions directly with the driver, and measures each scenario against two
 * comparators on the same engine in the same run:
 *   svc  the service, over HTTP (autocannon, keep-alive, loopback)
 *   L2   a minimal node:http server + the raw driver (the limit for an HTTP service)
 *   L1   the raw driver alone, same operations in flight, no HTTP (the physical limit)
 * Variants alternate within each round and rounds repeat, so ratios are taken
 * between neighbouring windows. Prints a table and the targets, writes
 * bench/results.json, and (for a full run) bench/RESULTS.md.
 *
 * Flags (all optional):
 *   --uri <mongodb uri>   any MongoDB (default: $MONGODB_URI, else the local engine)
 *   --db <name>           database the run owns and drops (default conversation_bench)
 *   --rounds <n>          rounds of alternation (default 3)
 *   --warmup <s>          warm-up per window (default 1)
 *   --measure <s>         measurement per window (default 3)
 *   --connections <n>     autocannon connections = L1 operations in flight (default 16)
 *   --only <list>         scenarios, e.g. S2,S4 (a partial run does not rewrite RESULTS.md)
 *   --l2-all              also run L2 for the read-side scenarios S3 and S4
 *   --build / --no-build  force / skip `npm run build` (default: build when dist is stale)
 *   --keep-data           do not drop the bench database at the end
 */
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const {
  BENCH_MAX_EVENTS,
  EVENT_TYPE,
  appendFilter,
  PAYLOAD,
  connect,
  withDatabase,
  seededSession,
  seededEvents,
  seededEventBody,
  procCpuMs,
  latencySummary,
} = require('./lib/common');

const ROOT = path.resolve(__dirname, '..');
const T_START = Date.now();

// ---------------------------------------------------------------------------
// Options

const { values: argv } = parseArgs({
  options: {
    uri: { type: 'string' },
    db: { type: 'string', default: 'conversation_bench' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    measure: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    only: { type: 'string' },
    'l2-all': { type: 'boolean', default: false },
    build: { type: 'boolean' },
    'no-build': { type: 'boolean', default: false },
    'keep-data': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
if (argv.help) {
  const src = fs.readFileSync(__filename, 'utf8');
  console.log(src.slice(src.indexOf('/**'), src.indexOf('*/') + 2));
  process.exit(0);
}
const OPT = {
  rounds: Math.max(1, Number(argv.rounds)),
  warmupMs: Number(argv.warmup) * 1000,
  measureMs: Number(argv.measure) * 1000,
  connections: Number(argv.connections),
  only: argv.only
    ? argv.only.split(',').map((s) => s.trim().toUpperCase())
    : null,
};
const FULL_RUN = !OPT.only;

function log(msg) {
  const s = ((Date.now() - T_START) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${msg}\n`);
}

// ---------------------------------------------------------------------------
// Processes: engine, build, service, comparators

const children = [];

function sh(cmd, args, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'pipe'],
    });
    let out = '';
    let err = '';
    if (capture) child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (err.length > 20000) err = err.slice(-10000);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `${cmd} ${args.join(' ')} exited ${code}\n${err.slice(-3000)}`,
            ),
          ),
    );
  });
}

async function engineRunning() {
  try {
    await sh('bash', ['scripts/db-status.sh'], { capture: true });
    return true;
  } catch {
    return false;
  }
}

/** The database to use; starts the local engine when none is named. */
async function resolveDatabase() {
  const named = argv.uri ?? process.env.MONGODB_URI;
  if (named) return { baseUri: named, local: false, startedByUs: false };
  const running = await engineRunning();
  log(
    running
      ? 'local engine already running'
      : 'starting the local engine (scripts/db-start.sh)',
  );
  const out = await sh('bash', ['scripts/db-start.sh'], { capture: true });
  const last = out.trim().split('\n').pop() ?? '';
  const m = /^MONGODB_URI=(.+)$/.exec(last);
  if (!m)
    throw new Error(`db-start.sh printed no MONGODB_URI (last line: ${last})`);
  return { baseUri: m[1], local: true, startedByUs: !running };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function buildIfNeeded() {
  const entry = path.join(ROOT, 'dist', 'main.js');
  if (argv['no-build']) {
    if (!fs.existsSync(entry))
      throw new Error('--no-build given but dist/main.js is missing');
    return 'skipped (--no-build)';
  }
  const stale =
    !fs.existsSync(entry) ||
    newestMtime(path.join(ROOT, 'src')) > fs.statSync(entry).mtimeMs ||
    ['package.json', 'tsconfig.json', 'tsconfig.build.json'].some(
      (f) =>
        fs.statSync(path.join(ROOT, f)).mtimeMs > fs.statSync(entry).mtimeMs,
    );
  if (!stale && !argv.build) return 'up to date';
  log('building the service (npm run build)');
  const t = Date.now();
  await sh('npm', ['run', 'build', '--silent'], { capture: true });
  return `built in ${((Date.now() - t) / 1000).toFixed(1)} s`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startService(uri) {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    AUTH_DISABLED: 'true',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    MONGODB_URI: uri,
    RATE_LIMIT_MAX: '0',
    MAX_EVENTS_PER_SESSION: String(BENCH_MAX_EVENTS),
  };
  delete env.API_KEYS;
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const keep = (d) => {
    output += d;
    if (output.length > 20000) output = output.slice(-10000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited)
      throw new Error(
        `service exited (${JSON.stringify(exited)}) during start:\n${output.slice(-3000)}`,
      );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.ok)
        return {
          child,
          pid: child.pid,
          port,
          url: `http://127.0.0.1:${port}`,
          output: () => output,
        };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`service not ready within 60 s:\n${output.slice(-3000)}`);
}

/** Forks a comparator and waits for its {type:'ready'} message. */
function forkChild(file, uri) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, file)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_URI: uri, PORT: '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const pending = new Map();
    let seq = 0;
    child.on('message', (msg) => {
      if (msg.type === 'ready') {
        resolve({
          child,
          pid: msg.pid,
          port: msg.port,
          url: msg.port ? `http://127.0.0.1:${msg.port}` : undefined,
          request(payload, onMark) {
            const id = ++seq;
            return new Promise((res, rej) => {
              pending.set(id, { res, rej, onMark });
              child.send({ ...payload, id });
            });
          },
        });
      } else if (msg.type === 'mark') {
        pending.get(msg.id)?.onMark?.(msg.phase);
      } else if (msg.type === 'result') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.rej(new Error(msg.error));
        else p?.res(msg.result);
      }
    });
    child.on('exit', (code) => {
      for (const p of pending.values())
        p.rej(new Error(`${file} exited ${code}`));
      reject(new Error(`${file} exited ${code} before it was ready`));
    });
  });
}

function stopChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        if (child.connected) child.send({ type: 'exit' });
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Engine CPU (local engine only): FerretDB and every PostgreSQL process.

const ENGINE_DIR = path.resolve(
  process.env.ENGINE_DIR ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'conversation-service',
      'engine',
    ),
);
let engineCpuEnabled = false;

function engineCpuMs() {
  if (!engineCpuEnabled) return NaN;
  let total = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const exe = fs.readlinkSync(`/proc/${name}/exe`);
      if (exe.startsWith(ENGINE_DIR + '/')) total += procCpuMs(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return total;
}

// ---------------------------------------------------------------------------
// Session pools. An append pool holds sessions seeded at N events; each
// session may receive at most `cap` appends during the run (under 5% of N;
// exactly one at N = 0), handed out in rotation so consecutive requests hit
// different documents. Pools grow (more seeded sessions) when a window would
// need more room than they have.

let col;
let mdb;

async function insertSessions(ids, n) {
  // Batches of about 8 MB, two in flight.
  const { bytes } = seededEvents(n);
  const per = Math.max(1, Math.min(2000, Math.floor(8e6 / (bytes + 400))));
  const batches = [];
  for (let i = 0; i < ids.length; i += per) batches.push(ids.slice(i, i + per));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      await col.insertMany(
        batch.map((id) => seededSession(id, n)),
        { ordered: false },
      );
    }
  };
  await Promise.all([lane(), lane()]);
}

class AppendPool {
  constructor(name, n) {
    this.name = name;
    this.n = n;
    this.cap = n === 0 ? 1 : Math.max(1, Math.floor(0.045 * n));
    this.ids = [];
    this.uses = [];
    this.queue = [];
    this.head = 0;
    this.free = 0;
    this.overflow = 0;
    this.seedMs = 0;
  }

  async grow(count) {
    const t = Date.now();
    const start = this.ids.length;
    const ids = [];
    for (let i = 0; i < count; i++) ids.push(`${this.name}-${start + i}`);
    await insertSessions(ids, this.n);
    for (let i = 0; i < count; i++) {
      this.ids.push(ids[i]);
      this.uses.push(0);
      this.queue.push(start + i);
    }
    this.free += count * this.cap;
    this.seedMs += Date.now() - t;
  }

  /** Makes room for `expected` more appends. */
  async ensure(expected) {
    if (this.free >= expected) return 0;
    const more = Math.ceil((expected - this.free) / this.cap);
    await this.grow(more);
    return more;
  }

  /** Index of the session the next append goes to. */
  take() {
    if (this.head >= this.queue.length) {
      // Out of room (the estimate was short): reuse, and report it.
      this.overflow++;
      const idx = this.overflow % this.ids.length;
      this.uses[idx]++;
      return idx;
    }
    const idx = this.queue[this.head++];
    this.uses[idx]++;
    this.free--;
    if (this.uses[idx] < this.cap) this.queue.push(idx);
    if (this.head > 100_000) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return idx;
  }

  /** Returns taken-but-unused slots (L1 takes its list before it runs). */
  giveBack(indices) {
    for (const idx of indices) {
      this.uses[idx]--;
      this.free++;
      if (this.uses[idx] === this.cap - 1) this.queue.push(idx);
    }
  }

  maxUses() {
    let m = 0;
    for (const u of this.uses) m = Math.max(m, u);
    return m;
  }

  usedCount() {
    let c = 0;
    for (const u of this.uses) if (u > 0) c++;
    return c;
  }
}

class ReadPool {
  constructor(name, n, size) {
    this.name = name;
    this.n = n;
    this.ids = Array.from({ length: size }, (_, i) => `${name}-${i}`);
    this.i = 0;
  }

  next() {
    return this.ids[this.i++ % this.ids.length];
  }
}

// ---------------------------------------------------------------------------
// Scenarios

const N_VALUES = [0, 100, 1000, 5000];
const REPLAY_N = 1000;
const PAGE_N = [100, 5000];
const PAGE = 50;
/** Expected appends/s per variant on a small machine; only sizes the first seeding. */
const RATE_GUESS = { 0: 600, 100: 500, 1000: 300, 5000: 120 };

let tagSeq = 0;
const runTag = Date.now().toString(36);
const newTag = (prefix) => `${prefix}${runTag}x${(tagSeq++).toString(36)}`;

function makeCells(pools) {
  const cells = [];
  cells.push({ key: 'S1', scenario: 'S1 create', op: 'create', expect: 201 });
  for (const n of N_VALUES) {
    cells.push({
      key: 'S2',
      scenario: `S2 append N=${n}`,
      op: 'append',
      n,
      pool: pools.append[n],
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
      read: pools.read[REPLAY_N],
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
        read: pools.read[n],
        after: which === 'first' ? 0 : n - PAGE,
        which,
        expect: 200,
        readSide: true,
      });
    }
  }
  return cells.filter(
    (c) =>
      !OPT.only ||
      OPT.only.includes(c.key) ||
      OPT.only.includes(c.key.slice(0, 2)),
  );
}

function variantsFor(cell) {
  return cell.readSide && !argv['l2-all'] ? ['svc', 'L1'] : ['svc', 'L2', 'L1'];
}

/** autocannon request factory for one window of an HTTP variant (svc or L2). */
function httpRequestFor(cell, ctx) {
  const json = { 'content-type': 'application/json' };
  switch (cell.op) {
    case 'create': {
      const tag = newTag('c');
      let k = 0;
      return {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: '/sessions',
          headers: json,
          body: JSON.stringify({ sessionId: `${tag}-${k++}`, language: 'en' }),
        }),
      };
    }
    case 'append': {
      const tag = newTag('n');
      let k = 0;
      return {
        method: 'POST',
        setupRequest: (req) => {
          const sessionId = ctx.hot ?? cell.pool.ids[cell.pool.take()];
          return {
            ...req,
            path: `/sessions/${sessionId}/events`,
            headers: json,
            body: JSON.stringify({
              eventId: `${tag}-${k++}`,
              type: EVENT_TYPE,
              payload: PAYLOAD,
              timestamp: new Date().toISOString(),
            }),
          };
        },
      };
    }
    case 'replay': {
      const body = seededEventBody(cell.eventIndex);
      return {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: `/sessions/${cell.read.next()}/events`,
          headers: json,
          body,
        }),
      };
    }
    case 'page':
      return {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: `/sessions/${cell.read.next()}/events?after=${cell.after}&limit=${PAGE}`,
        }),
      };
    default:
      throw new Error(cell.op);
  }
}

function runAutocannon(
  url,
  request,
  durationMs,
  { overallRate, onResponse } = {},
) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: OPT.connections,
        duration: durationMs / 1000,
        sampleInt: 100,
        timeout: 60,
        requests: [request],
        ...(overallRate ? { overallRate } : {}),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    if (onResponse)
      instance.on('response', (_client, status, _bytes, ms) =>
        onResponse(status, ms),
      );
  });
}

/** One warm-up + measurement window of one HTTP variant. */
async function httpWindow(cell, target, ctx, { overallRate } = {}) {
  const request = httpRequestFor(cell, ctx);
  await runAutocannon(target.url, request, OPT.warmupMs, { overallRate });
  const lat = new Float64Array(4_000_000);
  let ok = 0;
  const statuses = {};
  let all = 0;
  const onResponse = (status, ms) => {
    all++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === cell.expect) {
      if (ok < lat.length) lat[ok] = ms;
      ok++;
    }
  };
  const e0 = engineCpuMs();
  const c0 = procCpuMs(target.pid);
  const t0 = performance.now();
  const res = await runAutocannon(target.url, request, OPT.measureMs, {
    overallRate,
    onResponse,
  });
  const elapsedMs = performance.now() - t0;
  const cpuMs = procCpuMs(target.pid) - c0;
  const engineMs = engineCpuMs() - e0;
  return {
    count: ok,
    errors: all - ok + res.errors,
    statuses,
    elapsedMs,
    cpuMs,
    engineMs,
    latency: latencySummary(lat, Math.min(ok, lat.length)),
  };
}

/** One window of the raw driver in its own process. */
async function l1Window(cell, l1, ctx, expected) {
  const spec = { op: cell.op, tag: newTag(cell.op === 'create' ? 'c' : 'l') };
  const taken = [];
  if (cell.op === 'append' && ctx.hot) spec.hot = ctx.hot;
  else if (cell.op === 'append') {
    for (let i = 0; i < expected; i++) taken.push(cell.pool.take());
    spec.ids = taken.map((i) => cell.pool.ids[i]);
  } else if (cell.read) {
    spec.ids = cell.read.ids;
    if (cell.op === 'replay') spec.eventIndex = cell.eventIndex;
    if (cell.op === 'page')
      Object.assign(spec, { after: cell.after, limit: PAGE });
  }
  let e0;
  let e1;
  const r = await l1.request(
    {
      type: 'run',
      spec,
      concurrency: OPT.connections,
      warmupMs: OPT.warmupMs,
      measureMs: OPT.measureMs,
    },
    (phase) => {
      if (phase === 'start') e0 = engineCpuMs();
      else e1 = engineCpuMs();
    },
  );
  if (taken.length) cell.pool.giveBack(taken.slice(r.used));
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

// ---------------------------------------------------------------------------
// Main

const records = [];
const notes = [];

let dbState;

async function main() {
  const db = await resolveDatabase();
  dbState = db;
  engineCpuEnabled = db.local && fs.existsSync(ENGINE_DIR);
  const uri = withDatabase(db.baseUri, argv.db);
  log(`database: ${uri}${db.local ? ' (local engine)' : ''}`);

  const client = await connect(uri);
  let service;
  try {
    mdb = client.db();
    col = mdb.collection('sessions');
    const engineInfo = await describeEngine(client);
    await mdb.dropDatabase();

    // Pools, seeded while the service builds.
    const pools = { append: {}, read: {} };
    for (const n of N_VALUES) pools.append[n] = new AppendPool(`a${n}`, n);
    for (const n of [100, REPLAY_N, 5000])
      pools.read[n] = new ReadPool(`r${n}`, n, 8);
    const cells = makeCells(pools);
    const windowS = (OPT.warmupMs + OPT.measureMs) / 1000 + 0.3;

    const seed = async () => {
      const t = Date.now();
      for (const cell of cells) {
        if (cell.op === 'append' && cell.pool) {
          const guess =
            RATE_GUESS[cell.n] *
            windowS *
            variantsFor(cell).length *
            OPT.rounds;
          await cell.pool.ensure(Math.ceil(guess));
        }
      }
      for (const n of Object.keys(pools.read)) {
        if (cells.some((c) => c.read === pools.read[n]))
          await insertSessions(pools.read[n].ids, Number(n));
      }
      return Date.now() - t;
    };
    const [buildNote, seedMs] = await Promise.all([buildIfNeeded(), seed()]);
    log(
      `build: ${buildNote}; seeded in ${(seedMs / 1000).toFixed(1)} s: ${seedSummary(pools)}`,
    );

    service = await startService(uri);
    log(`service ready on ${service.url} (pid ${service.pid})`);
    const [l2, l1] = await Promise.all([
      forkChild('l2-server.js', uri),
      forkChild('l1-driver.js', uri),
    ]);
    const targets = { svc: service, L2: l2, L1: l1 };

    // The service's CPU while idle (timers, heartbeats): context for CPU/req at low rates.
    const idle0 = procCpuMs(service.pid);
    await sleep(2000);
    const serviceIdleMsPerS = (procCpuMs(service.pid) - idle0) / 2;

    // JIT warm-up of every variant before the first round.
    log('warming up every variant');
    const warmCell = cells.find((c) => c.op === 'append' && c.n === 0) ?? {
      op: 'append',
      n: 0,
      pool: pools.append[0],
      expect: 201,
    };
    await warmCell.pool.ensure(Math.ceil(RATE_GUESS[0] * windowS * 3 * 1.5));
    for (const v of ['svc', 'L2', 'L1'])
      await runVariant(warmCell, v, targets, 0, {}, { record: false });

    for (let round = 1; round <= OPT.rounds; round++) {
      log(`round ${round}/${OPT.rounds}`);
      for (const cell of cells) {
        const vs = variantsFor(cell);
        const shift = (round - 1) % vs.length;
        const order = vs.slice(shift).concat(vs.slice(0, shift));
        for (const v of order) {
          const ctx = {};
          if (cell.hot) {
            ctx.hot = newTag('h');
            await col.insertOne(seededSession(ctx.hot, 0));
          }
          const rec = await runVariant(cell, v, targets, round, ctx);
          if (cell.op === 'create') {
            // Keep the collection the same size from round to round: remove
            // the sessions this window created (all ids start with c<runTag>).
            await col.deleteMany({
              sessionId: { $gte: `c${runTag}`, $lt: `c${runTag}\uffff` },
            });
          }
          if (cell.hot) {
            const doc = await col.findOne(
              { sessionId: ctx.hot },
              { projection: { _id: 0, eventCount: 1 } },
            );
            rec.hotFinalN = doc?.eventCount;
          }
        }
      }
    }

    // p99 at half of the measured capacity (autocannon fixed-rate mode).
    const capCell = cells.find((c) => c.op === 'append' && c.n === 0);
    let fixedRate = null;
    if (capCell) {
      const capacity = median(
        records
          .filter((r) => r.cell === capCell.scenario && r.variant === 'svc')
          .map((r) => r.rps),
      );
      const rate = Math.max(1, Math.round(capacity / 2));
      log(
        `fixed rate: ${rate} req/s (half of the service's ${capacity.toFixed(0)} req/s)`,
      );
      const fixedCell = {
        ...capCell,
        scenario: `P  append N=0 at ${rate} req/s`,
      };
      fixedRate = { capacity, rate, scenario: fixedCell.scenario };
      for (let round = 1; round <= OPT.rounds; round++) {
        await runVariant(
          fixedCell,
          'svc',
          targets,
          round,
          {},
          { overallRate: rate },
        );
      }
    }

    const drift = await checkDrift(pools);
    const collection = await describeCollection();
    collection.appendIndex = await appendPlan(pools.append[0].ids[0] ?? 'a0-0');
    if (collection.appendIndex !== 'sessionId_1') {
      notes.push(
        `the engine runs the append's filter on index ${collection.appendIndex}, not sessionId_1: an append then scans the open sessions, so its cost grows with their number (${collection.open} here), not only with N`,
      );
    }
    const report = buildReport({
      cells,
      pools,
      fixedRate,
      drift,
      engineInfo,
      db,
      uri,
      buildNote,
      seedMs,
      serviceIdleMsPerS,
      collection,
    });
    process.stdout.write(report.text);
    fs.writeFileSync(
      path.join(__dirname, 'results.json'),
      JSON.stringify(report.json, null, 2),
    );
    if (FULL_RUN) {
      fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report.markdown);
      log('wrote bench/results.json and bench/RESULTS.md');
    } else {
      log(
        'wrote bench/results.json (partial run: bench/RESULTS.md left as it was)',
      );
    }
  } finally {
    stopChildren();
    if (!argv['keep-data'])
      await client
        .db()
        .dropDatabase()
        .catch(() => {});
    await client.close().catch(() => {});
    if (db.startedByUs) {
      log('stopping the local engine (this run started it)');
      await sh('bash', ['scripts/db-stop.sh']).catch((e) =>
        log(`db-stop failed: ${e.message}`),
      );
    }
  }
}

/** Runs one window; on errors checks the engine (restarting it if it went away) and retries once. */
async function runVariant(
  cell,
  variant,
  targets,
  round,
  ctx,
  { record = true, overallRate } = {},
) {
  const windowS = (OPT.warmupMs + OPT.measureMs) / 1000 + 0.3;
  for (let attempt = 1; ; attempt++) {
    // Room in the pool for this window: the fastest earlier window of the
    // same cell and variant (or a guess), with margin. L1 takes its list of
    // sessions up front and gives back what it did not use.
    let l1List = 0;
    if (cell.pool) {
      const rate =
        overallRate ?? fastest(cell, variant) ?? RATE_GUESS[cell.n] * 1.5;
      const expected = Math.ceil(rate * windowS * 1.3 + 4 * OPT.connections);
      l1List = Math.ceil(expected * 1.25);
      const grown = await cell.pool.ensure(
        variant === 'L1' ? l1List : expected,
      );
      if (grown) log(`  pool ${cell.pool.name}: +${grown} sessions`);
    }
    const w =
      variant === 'L1'
        ? await l1Window(cell, targets.L1, ctx, l1List)
        : await httpWindow(cell, targets[variant], ctx, { overallRate });
    const rec = {
      cell: cell.scenario,
      key: cell.key,
      variant,
      round,
      rps: (w.count * 1000) / w.elapsedMs,
      count: w.count,
      errors: w.errors,
      statuses: w.statuses,
      p50: w.latency.p50,
      p90: w.latency.p90,
      p99: w.latency.p99,
      mean: w.latency.mean,
      cpuMsPerReq: w.cpuMs / Math.max(1, w.count),
      engineCpuMsPerReq: w.engineMs / Math.max(1, w.count),
      elapsedMs: w.elapsedMs,
      ...(overallRate ? { overallRate } : {}),
      ...(w.firstError ? { firstError: w.firstError } : {}),
      ...(w.wrapped ? { wrapped: true } : {}),
    };
    const bad = rec.errors > Math.max(2, rec.count * 0.01) || rec.count === 0;
    if (bad && attempt === 1) {
      log(
        `  ${cell.scenario} ${variant}: ${rec.errors} errors / ${rec.count} ok ${JSON.stringify(w.statuses)} ${w.firstError ?? ''}; checking the engine and retrying`,
      );
      await recoverEngine(targets.svc);
      continue;
    }
    if (bad)
      notes.push(
        `${cell.scenario} ${variant} round ${round}: ${rec.errors} errors (${JSON.stringify(w.statuses)} ${w.firstError ?? ''})`,
      );
    if (record) {
      records.push(rec);
      log(
        `  ${cell.scenario.padEnd(28)} ${variant.padEnd(3)} ${fmt(rec.rps, 0).padStart(6)} req/s  p50 ${fmt(rec.p50, 2)} ms  p99 ${fmt(rec.p99, 2)} ms  cpu ${fmt(rec.cpuMsPerReq, 3)} ms/req`,
      );
    }
    return rec;
  }
}

function fastest(cell, variant) {
  const rs = records
    .filter((r) => r.cell === cell.scenario && r.variant === variant)
    .map((r) => r.rps);
  return rs.length ? Math.max(...rs) : undefined;
}

async function recoverEngine(service) {
  const named = argv.uri ?? process.env.MONGODB_URI;
  if (!named && !(await engineRunning())) {
    notes.push(
      `the local engine was stopped during the run (by another process) and restarted at +${((Date.now() - T_START) / 1000).toFixed(0)} s`,
    );
    log('  the engine is not running: restarting it');
    await sh('bash', ['scripts/db-start.sh'], { capture: true });
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${service.url}/health/ready`);
      if (res.ok) return;
    } catch {
      // not yet
    }
    await sleep(250);
  }
}

async function describeEngine(client) {
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = info.ferretdb?.version ?? info.ferretdbVersion;
    return ferret
      ? `FerretDB ${ferret} (MongoDB ${info.version} wire API) on PostgreSQL + DocumentDB`
      : `MongoDB ${info.version}`;
  } catch (error) {
    return `unknown (${error.message})`;
  }
}

/**
 * The index the engine picks for the append's filter (explain of the same
 * filter as a find; findAndModify cannot be explained on every engine).
 */
async function appendPlan(sessionId) {
  try {
    const ex = await mdb.command({
      explain: {
        find: 'sessions',
        filter: appendFilter(sessionId, 'no-such-event', 300),
        limit: 1,
      },
      verbosity: 'queryPlanner',
    });
    const text = JSON.stringify(ex);
    const m =
      /"Index Name":"([^"]+)"/.exec(text) ??
      /"winningPlan".*?"indexName":"([^"]+)"/.exec(text) ??
      /"IndexDetails":\[\{[^\]]*?"indexName":"([^"]+)"/.exec(text);
    if (m) return m[1];
    return /COLLSCAN|Seq Scan/.test(text)
      ? 'none (collection scan)'
      : 'unknown';
  } catch (error) {
    return `unknown (${error.message})`;
  }
}

/** Size of the collection at the end: an append's cost on some engines depends on it. */
async function describeCollection() {
  try {
    const [total, open] = await Promise.all([
      col.countDocuments({}),
      col.countDocuments({ status: { $in: ['initiated', 'active'] } }),
    ]);
    return { sessions: total, open };
  } catch (error) {
    return { error: error.message };
  }
}

function seedSummary(pools) {
  return Object.values(pools.append)
    .filter((p) => p.ids.length)
    .map((p) => `${p.ids.length} x N=${p.n}`)
    .join(', ');
}

/** Growth of N in each append pool: bookkeeping, checked against the stored eventCount of the busiest sessions. */
async function checkDrift(pools) {
  const out = [];
  for (const p of Object.values(pools.append)) {
    if (!p.ids.length) continue;
    const busiest = p.uses
      .map((u, i) => [u, i])
      .sort((a, b) => b[0] - a[0])
      .slice(0, 50)
      .map(([, i]) => p.ids[i]);
    const docs = await col
      .find(
        { sessionId: { $in: busiest } },
        { projection: { _id: 0, eventCount: 1 } },
      )
      .toArray();
    const maxStored = Math.max(p.n, ...docs.map((d) => d.eventCount));
    out.push({
      pool: p.name,
      n: p.n,
      sessions: p.ids.length,
      sessionsUsed: p.usedCount(),
      capPerSession: p.cap,
      maxAppendsPerSession: p.maxUses(),
      maxStoredN: maxStored,
      maxGrowthPct: p.n ? ((maxStored - p.n) / p.n) * 100 : null,
      overflow: p.overflow,
      seedSeconds: p.seedMs / 1000,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Report

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(x, d = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return x.toFixed(d);
}

function recsOf(cell, variant) {
  return records.filter((r) => r.cell === cell && r.variant === variant);
}

/** Per-round ratio a/b of a metric, median over rounds. */
function roundRatio(cellA, varA, cellB, varB, metric) {
  const ratios = [];
  for (const a of recsOf(cellA, varA)) {
    const b = recsOf(cellB, varB).find((r) => r.round === a.round);
    if (b) ratios.push(a[metric] / b[metric]);
  }
  return { median: median(ratios), rounds: ratios };
}

function table(headers, rows, align) {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => String(r[i]).length)),
  );
  const line = (cells) =>
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

function linearFit(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const b = sxx ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

function niceFloor(x) {
  const steps = [
    500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000,
  ];
  let best = steps[0];
  for (const s of steps) if (s <= x) best = s;
  return best;
}

function buildReport({
  cells,
  fixedRate,
  drift,
  engineInfo,
  db,
  uri,
  buildNote,
  seedMs,
  serviceIdleMsPerS,
  collection,
}) {
  const lines = [];
  const out = (s = '') => lines.push(s);
  const totalS = (Date.now() - T_START) / 1000;

  out(`Conversation Service benchmark — ${new Date().toISOString()}`);
  out(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model?.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  out(
    `engine:  ${engineInfo}${db.local ? ' (local engine, scripts/db-start.sh)' : ''}; database ${argv.db}`,
  );
  out(
    `method:  ${OPT.rounds} rounds, variants alternating; each window ${OPT.warmupMs / 1000} s warm-up + ${OPT.measureMs / 1000} s measured; ${OPT.connections} connections / operations in flight; build ${buildNote}; seeding ${(seedMs / 1000).toFixed(1)} s`,
  );
  out(
    '         svc = the service over HTTP; L2 = node:http + raw driver; L1 = raw driver, no HTTP.',
  );
  out(
    '         Medians over rounds. CPU = utime+stime of that process (all threads) per completed request;',
  );
  out(
    '         engine CPU = FerretDB + PostgreSQL processes per request (includes any other client of the engine).',
  );
  out(
    `         service idle CPU ${fmt(serviceIdleMsPerS, 1)} ms/s; collection at the end: ${collection.sessions ?? '?'} sessions, ${collection.open ?? '?'} of them open; the append's filter runs on index ${collection.appendIndex}.`,
  );
  out();

  const rows = [];
  const allCells = [
    ...cells.map((c) => c.scenario),
    ...(fixedRate ? [fixedRate.scenario] : []),
  ];
  for (const cell of allCells) {
    for (const v of ['svc', 'L2', 'L1']) {
      const rs = recsOf(cell, v);
      if (!rs.length) continue;
      const vsL1 =
        v === 'svc' ? roundRatio(cell, 'svc', cell, 'L1', 'rps').median : NaN;
      const vsL2 =
        v === 'svc' ? roundRatio(cell, 'svc', cell, 'L2', 'rps').median : NaN;
      const hot = rs.some((r) => r.hotFinalN !== undefined)
        ? ` (N->${median(rs.map((r) => r.hotFinalN)).toFixed(0)})`
        : '';
      rows.push([
        cell + hot,
        v,
        fmt(median(rs.map((r) => r.rps)), 0),
        fmt(median(rs.map((r) => r.p50)), 2),
        fmt(median(rs.map((r) => r.p99)), 2),
        fmt(median(rs.map((r) => r.cpuMsPerReq)), 3),
        fmt(median(rs.map((r) => r.engineCpuMsPerReq)), 2),
        Number.isFinite(vsL1) ? vsL1.toFixed(2) : '',
        Number.isFinite(vsL2) ? vsL2.toFixed(2) : '',
        rs.reduce((s, r) => s + r.errors, 0),
      ]);
    }
  }
  out(
    table(
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
    ),
  );
  out();

  // Targets
  const targets = [];
  const t = (name, value, threshold, pass, detail) =>
    targets.push({ name, value, threshold, pass, detail });
  const s2 = (n) => `S2 append N=${n}`;
  if (recsOf(s2(0), 'svc').length && recsOf(s2(0), 'L1').length) {
    const r = roundRatio(s2(0), 'svc', s2(0), 'L1', 'rps');
    t(
      `T1 append throughput N=0, ${OPT.connections} conn: svc / L1`,
      r.median.toFixed(2),
      '>= 0.60',
      r.median >= 0.6,
      `per round ${r.rounds.map((x) => x.toFixed(2)).join(', ')}`,
    );
  }
  if (
    recsOf(s2(0), 'svc').length &&
    recsOf(s2(5000), 'svc').length &&
    recsOf(s2(5000), 'L1').length
  ) {
    const per = [];
    for (const a of recsOf(s2(5000), 'svc')) {
      const b = recsOf(s2(0), 'svc').find((r) => r.round === a.round);
      const c = recsOf(s2(5000), 'L1').find((r) => r.round === a.round);
      const d = recsOf(s2(0), 'L1').find((r) => r.round === a.round);
      if (b && c && d)
        per.push({
          excess:
            a.cpuMsPerReq - b.cpuMsPerReq - (c.cpuMsPerReq - d.cpuMsPerReq),
          base: b.cpuMsPerReq,
        });
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
    if (recsOf(a, 'svc').length && recsOf(b, 'svc').length) {
      const r = roundRatio(a, 'svc', b, 'svc', 'p50');
      const l1 = roundRatio(a, 'L1', b, 'L1', 'p50');
      t(
        `T3 ${which} 50-event page, p50 at N=5000 / N=100 (svc)`,
        r.median.toFixed(2),
        '<= 3.00',
        r.median <= 3,
        `raw driver L1 ${fmt(l1.median, 2)}; per round ${r.rounds.map((x) => x.toFixed(2)).join(', ')}`,
      );
    }
  }
  if (fixedRate && recsOf(fixedRate.scenario, 'svc').length) {
    const rs = recsOf(fixedRate.scenario, 'svc');
    const ratio = median(rs.map((r) => r.p99 / r.p50));
    t(
      `T4 p99 / p50 at ${fixedRate.rate} req/s (half of ${fixedRate.capacity.toFixed(0)}), append N=0`,
      ratio.toFixed(2),
      '<= 4.00',
      ratio <= 4,
      `p50 ${fmt(median(rs.map((r) => r.p50)), 2)} ms, p99 ${fmt(median(rs.map((r) => r.p99)), 2)} ms, achieved ${fmt(median(rs.map((r) => r.rps)), 0)} req/s (autocannon's fixed rate sends each connection's per-second quota back to back at the top of each second, so requests still queue)`,
    );
  }
  out(
    targets.length
      ? 'Targets'
      : 'Targets: none measured by this selection of scenarios',
  );
  out(
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
  );
  for (const x of targets) out(`  ${x.name.split(' ')[0]}: ${x.detail}`);
  out();

  // Database-side growth
  let growth = null;
  const curve = N_VALUES.filter((n) => recsOf(s2(n), 'L1').length).map((n) => {
    const l1 = recsOf(s2(n), 'L1');
    const svc = recsOf(s2(n), 'svc');
    const rps = median(l1.map((r) => r.rps));
    return {
      n,
      docKB: (seededEvents(n).bytes + 300) / 1024,
      l1Rps: rps,
      l1MsPerAppend: 1000 / rps,
      l1P50: median(l1.map((r) => r.p50)),
      svcRps: median(svc.map((r) => r.rps)),
      svcP50: median(svc.map((r) => r.p50)),
      engineCpu: median(l1.map((r) => r.engineCpuMsPerReq)),
    };
  });
  if (curve.length >= 2) {
    const fit = linearFit(curve.map((c) => [c.n, c.l1MsPerAppend]));
    const bytesPerEvent = seededEvents(100).bytes / 100;
    const nDouble = fit.b > 0 ? fit.a / fit.b : Infinity;
    const at = (n) => fit.a + fit.b * n;
    const first = curve[0];
    const last = curve[curve.length - 1];
    // The cap: an append at the cap costs at most ten times one on an empty
    // session (an order of magnitude), judged on the raw driver's curve.
    const nTen = fit.b > 0 ? (9 * fit.a) / fit.b : Infinity;
    const justified = niceFloor(nTen);
    growth = {
      curve,
      fit,
      bytesPerEvent,
      nDouble,
      nTen,
      at10k: at(10000),
      at20k: at(20000),
      justified,
    };
    out(
      'Database-side growth of an append (raw driver L1, 16 in flight): the engine rewrites the whole document',
    );
    out(
      table(
        [
          'N',
          'doc KB',
          'L1 req/s',
          'engine ms/append',
          'L1 p50 ms',
          'engine CPU ms/req',
          'svc req/s',
          'svc p50 ms',
        ],
        curve.map((c) => [
          c.n,
          fmt(c.docKB, 0),
          fmt(c.l1Rps, 0),
          fmt(c.l1MsPerAppend, 2),
          fmt(c.l1P50, 1),
          fmt(c.engineCpu, 2),
          fmt(c.svcRps, 0),
          fmt(c.svcP50, 1),
        ]),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
    out(
      `  engine ms/append = 1000 / L1 req/s. Fit: ${fit.a.toFixed(3)} ms + ${(fit.b * 1000).toFixed(2)} us x N (${bytesPerEvent.toFixed(0)} B per event: ${((fit.b * 1000 * 1024) / bytesPerEvent).toFixed(1)} us per KB of document).`,
    );
    out(
      `  N=${last.n} vs N=${first.n}: an append costs ${fmt(first.l1Rps / last.l1Rps, 2)}x (raw driver), ${fmt(first.svcRps / last.svcRps, 2)}x (service).`,
    );
    out(
      `  projected: ${fmt(at(10000), 1)} ms per append at N=10000 (the default MAX_EVENTS_PER_SESSION), ${fmt(at(20000), 1)} ms at N=20000, i.e. ${fmt(1000 / at(10000), 0)} and ${fmt(1000 / at(20000), 0)} appends/s for the whole engine.`,
    );
    out(
      `  the rewrite costs as much as the rest of an append at N ~ ${fmt(nDouble, 0)}; an append costs 10x one on an empty session at N ~ ${fmt(nTen, 0)}.`,
    );
    out(
      `  cap this curve justifies (an append at the cap costs <= 10x one on an empty session): ${justified} events (~${fmt((justified * bytesPerEvent) / 2 ** 20, 1)} MB of events at this event size).`,
    );
    out();
  }

  out('Seeded pools (N must change by under 5% during the run)');
  out(
    table(
      [
        'pool',
        'N',
        'sessions',
        'used',
        'max appends/session',
        'max stored N',
        'max growth',
        'overflow',
      ],
      drift.map((d) => [
        d.pool,
        d.n,
        d.sessions,
        d.sessionsUsed,
        d.maxAppendsPerSession,
        d.maxStoredN,
        d.maxGrowthPct === null
          ? `${d.maxStoredN - d.n} event(s)`
          : `${d.maxGrowthPct.toFixed(1)}%`,
        d.overflow,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  out();
  for (const n of notes) out(`note: ${n}`);
  const errorsTotal = records.reduce((s, r) => s + r.errors, 0);
  out(`total errors: ${errorsTotal}; total run time ${totalS.toFixed(0)} s`);

  const text = lines.join('\n') + '\n';
  const command = `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  const markdown = [
    '# Benchmark results (last full run)',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.cpus().length} cores (\`nproc\`), ${os.cpus()[0]?.model?.trim() ?? '?'}, node ${process.version}`,
    `- engine: ${engineInfo}`,
    `- command: \`${command}\` (total ${totalS.toFixed(0)} s)`,
    '- how: `bench/run.js` (see its header for flags); raw data of the run in `bench/results.json` (not committed).',
    '',
    '```text',
    text.trimEnd(),
    '```',
    '',
  ].join('\n');
  const json = {
    date: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGiB: os.totalmem() / 2 ** 30,
      node: process.version,
    },
    engine: engineInfo,
    uri: uri.replace(/\/\/[^@/]*@/, '//***@'),
    options: OPT,
    command,
    totalSeconds: totalS,
    targets,
    growth,
    fixedRate,
    pools: drift,
    notes,
    records,
  };
  return { text, markdown, json };
}

// ---------------------------------------------------------------------------

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${sig}: stopping`);
    stopChildren();
    if (dbState?.startedByUs) {
      try {
        execFileSync('bash', ['scripts/db-stop.sh'], {
          cwd: ROOT,
          stdio: 'ignore',
        });
      } catch {
        // best effort
      }
    }
    process.exit(130);
  });
}

main().then(
  () => {
    log(`done in ${((Date.now() - T_START) / 1000).toFixed(0)} s`);
    process.exit(0);
  },
  (error) => {
    console.error(error);
    stopChildren();
    process.exit(1);
  },
);
