/**
 * `npm run bench`: the performance harness (a script, not a test). The flags
 * and what each scenario measures: `npm run bench -- --help` (lib/options.ts).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib/process';
import {
  appendPlan,
  checkDrift,
  describeCollection,
  describeEngine,
  seedSummary,
} from './lib/inspect';
import { EngineCpu, procCpuMs, sleep } from './lib/measure';
import {
  USAGE,
  createLog,
  isFullRun,
  parseOptions,
  type Log,
  type Options,
} from './lib/options';
import { makeBatchCells, runBatch } from './lib/phases/batch';
import { runMain, seedMain, warmUp } from './lib/phases/main';
import { QUIET_PAGE_N, makeQuietCells, runQuiet } from './lib/phases/quiet';
import { runSoak } from './lib/phases/soak';
import {
  type Children,
  buildIfNeeded,
  endRun,
  forkComparator,
  resolveDatabase,
  startBenchService,
  runEntryPoint,
  type Database,
} from './lib/processes';
import { buildReport } from './lib/report/report';
import { Bench } from './lib/runner';
import { REPLAY_N, Tags, makeCells, makePools } from './lib/scenarios';
import { connect, sessionsOf, withDatabase } from './lib/workload';

const BENCH_DIR = join(ROOT, 'bench');

async function bench(
  opts: Options,
  log: Log,
  start: number,
  children: Children,
  database: { current?: Database },
): Promise<void> {
  const db = await resolveDatabase(opts, log);
  database.current = db;
  const uri = withDatabase(db.baseUri, opts.db);
  log(`database: ${uri}${db.local ? ' (local engine)' : ''}`);
  const client = await connect(uri);
  try {
    const col = sessionsOf(client);
    const engineInfo = await describeEngine(client);
    await client.db().dropDatabase();

    // Pools, seeded while the service builds.
    const pools = makePools(col);
    const cells = makeCells(pools, opts);
    const quietCells = makeQuietCells(pools, opts);
    const batchCells = makeBatchCells(col, opts);
    const reads = new Set([
      ...[...cells, ...quietCells].flatMap((c) => (c.read ? [c.read] : [])),
      ...(opts.soak
        ? [pools.read.get(REPLAY_N)!, pools.read.get(QUIET_PAGE_N)!]
        : []),
    ]);
    const seed = async () => {
      const t = Date.now();
      await seedMain(cells, pools, opts);
      for (const read of reads) await read.seed(col);
      return Date.now() - t;
    };
    const [buildNote, seedMs] = await Promise.all([
      buildIfNeeded(opts, log),
      seed(),
    ]);
    const appendPools = [...pools.append.values()];
    log(
      `build: ${buildNote}; seeded in ${(seedMs / 1000).toFixed(1)} s: ${seedSummary(appendPools)}`,
    );

    const service = await startBenchService(uri, children);
    log(`service ready on ${service.url} (pid ${service.pid})`);
    const [L2, L1] = await Promise.all([
      forkComparator('l2-server.ts', uri, children),
      forkComparator('l1-driver.ts', uri, children),
    ]);
    const run = new Bench(
      opts,
      log,
      col,
      { svc: service, L2, L1 },
      new Tags(),
      new EngineCpu(db.local),
    );

    // The service's CPU while idle (timers, heartbeats): context for CPU/req at low rates.
    const idle0 = procCpuMs(service.pid);
    await sleep(2000);
    const serviceIdleMsPerS = (procCpuMs(service.pid) - idle0) / 2;

    await warmUp(run, pools);
    const fixedRate = await runMain(run, cells);
    await runQuiet(run, quietCells);
    const batchRoute = await runBatch(run, batchCells);
    const soak = opts.soak
      ? await runSoak(run, {
          replay: pools.read.get(REPLAY_N)!,
          page: pools.read.get(QUIET_PAGE_N)!,
        })
      : null;

    const drift = await checkDrift(col, [
      ...appendPools,
      ...batchCells.flatMap((c) => (c.pool ? [c.pool] : [])),
    ]);
    const collection = await describeCollection(col);
    collection.appendIndex = await appendPlan(
      client.db(),
      pools.append.get(0)?.ids[0] ?? 'a0-0',
    );
    if (collection.appendIndex !== 'sessionId_1') {
      run.notes.push(
        `the engine runs the append's filter on index ${collection.appendIndex}, not sessionId_1: an append then scans the open sessions, so its cost grows with their number (${collection.open} here), not only with N`,
      );
    }
    const report = buildReport({
      date: new Date().toISOString(),
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model?.trim() ?? '?',
        memGiB: totalmem() / 2 ** 30,
        node: process.version,
      },
      engineInfo,
      localEngine: db.local,
      uri: uri.replace(/\/\/[^@/]*@/, '//***@'),
      opts,
      command: `npm run bench${opts.argv.length ? ' -- ' + opts.argv.join(' ') : ''}`,
      totalSeconds: (Date.now() - start) / 1000,
      buildNote,
      seedMs,
      serviceIdleMsPerS,
      collection,
      records: run.records,
      mainCells: cells.map((c) => c.scenario),
      quietCells: quietCells.map((c) => c.scenario),
      fixedRate,
      batchRoute,
      soak,
      drift,
      notes: run.notes,
    });
    process.stdout.write(report.text);
    writeFileSync(
      join(BENCH_DIR, 'results.json'),
      JSON.stringify(report.json, null, 2),
    );
    if (isFullRun(opts)) {
      writeFileSync(join(BENCH_DIR, 'RESULTS.md'), report.markdown);
      log('wrote bench/results.json and bench/RESULTS.md');
    } else {
      log(
        'wrote bench/results.json (partial or quick run: bench/RESULTS.md left as it was)',
      );
    }
  } finally {
    await endRun(children, client, db, opts.keepData, log);
  }
}

function main(): void {
  const start = Date.now();
  const log = createLog(start);
  const opts = parseOptions(process.argv.slice(2));
  if (!opts) {
    process.stdout.write(USAGE);
    return;
  }
  runEntryPoint(log, start, (children, database) =>
    bench(opts, log, start, children, database),
  );
}

main();
