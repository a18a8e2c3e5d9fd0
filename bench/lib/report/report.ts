import type { CollectionInfo, PoolDrift } from '../inspect';
import type { Options } from '../options';
import type { BatchRoute } from '../phases/batch';
import type { FixedRate } from '../phases/main';
import type { SoakResult } from '../phases/soak';
import type { WindowRecord } from '../runner';
import { batchSection, quietSection, soakSection } from './sections';
import { costTargets, costTargetsTable } from './cost-targets';
import { fmt, Records } from './format';
import { growthSection, poolsSection } from './growth';
import { mainTable, mainTargets, targetsTable } from './main-table';

/**
 * The report of a run, from what it measured: a pure function (no clock, no
 * I/O), so the same records always give the same text, markdown and JSON.
 */

export interface ReportInput {
  date: string;
  machine: { cores: number; cpu: string; memGiB: number; node: string };
  engineInfo: string;
  localEngine: boolean;
  /** The database URI, credentials already masked. */
  uri: string;
  opts: Options;
  command: string;
  totalSeconds: number;
  buildNote: string;
  seedMs: number;
  serviceIdleMsPerS: number;
  collection: CollectionInfo;
  records: WindowRecord[];
  /** Cell names of the main table and of the quiet measure, in order. */
  mainCells: string[];
  quietCells: string[];
  fixedRate: FixedRate | null;
  batchRoute: BatchRoute | null;
  soak: SoakResult | null;
  drift: PoolDrift[];
  notes: string[];
}

export interface Report {
  text: string;
  markdown: string;
  json: unknown;
}

export function buildReport(input: ReportInput): Report {
  const { opts, machine, collection } = input;
  const main = new Records(input.records.filter((r) => r.set === 'main'));
  const quiet = new Records(input.records.filter((r) => r.set === 'quiet'));
  const batch = new Records(input.records.filter((r) => r.set === 'batch'));
  const cellNames = [
    ...input.mainCells,
    ...(input.fixedRate ? [input.fixedRate.scenario] : []),
  ];
  const targets = mainTargets(main, input.fixedRate, opts.connections);
  const growth = growthSection(main, opts.connections);
  const quietShape = `${opts.quietRounds} rounds of ${opts.quietRequests} requests per variant, ${opts.connections} connections`;
  const cost = costTargets(main, quiet, batch, input.fixedRate, input.soak, {
    create: input.quietCells.find((c) => c.includes('create')) ?? '',
    append: input.quietCells.find((c) => c.includes('append')) ?? '',
  });
  const errorsTotal = input.records.reduce((s, r) => s + r.errors, 0);

  const lines = [
    `Conversation Service benchmark — ${input.date}`,
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memGiB.toFixed(0)} GiB, node ${machine.node}`,
    `engine:  ${input.engineInfo}${input.localEngine ? ' (local engine, scripts/db-start.sh)' : ''}; database ${opts.db}`,
    `method:  ${opts.rounds} rounds, variants alternating; each window ${opts.warmupMs / 1000} s warm-up + ${opts.measureMs / 1000} s measured; ${opts.connections} connections / operations in flight; build ${input.buildNote}; seeding ${(input.seedMs / 1000).toFixed(1)} s`,
    '         svc = the service over HTTP; L2 = node:http + raw driver; L1 = raw driver, no HTTP.',
    '         Medians over rounds. CPU = utime+stime of that process (all threads) per completed request;',
    '         engine CPU = FerretDB + PostgreSQL processes per request (includes any other client of the engine).',
    `         service idle CPU ${fmt(input.serviceIdleMsPerS, 1)} ms/s; collection at the end: ${collection.sessions ?? '?'} sessions, ${collection.open ?? '?'} of them open; the append's filter runs on index ${collection.appendIndex}.`,
    '',
    ...(cellNames.length ? [mainTable(main, cellNames), ''] : []),
    ...targetsTable(targets),
    '',
    ...growth.lines,
    ...poolsSection(input.drift),
    ...quietSection(quiet, input.quietCells, quietShape),
    ...batchSection(batch, input.batchRoute, opts.connections),
    ...soakSection(input.soak),
    ...costTargetsTable(cost),
    ...input.notes.map((n) => `note: ${n}`),
    `total errors: ${errorsTotal}; total run time ${input.totalSeconds.toFixed(0)} s`,
  ];
  const text = lines.join('\n') + '\n';
  const markdown = [
    '# Benchmark results (last full run)',
    '',
    `- date: ${input.date}`,
    `- machine: ${machine.cores} cores (\`nproc\`), ${machine.cpu}, node ${machine.node}`,
    `- engine: ${input.engineInfo}`,
    `- command: \`${input.command}\` (total ${input.totalSeconds.toFixed(0)} s)`,
    '- how: `bench/run.ts` (`npm run bench -- --help` lists the flags); raw data of the run in `bench/results.json` (not committed).',
    '',
    '```text',
    text.trimEnd(),
    '```',
    '',
  ].join('\n');
  const json = {
    date: input.date,
    machine,
    engine: input.engineInfo,
    uri: input.uri,
    options: opts,
    command: input.command,
    totalSeconds: input.totalSeconds,
    targets,
    costTargets: cost,
    growth: growth.growth,
    fixedRate: input.fixedRate,
    batchRoute: input.batchRoute,
    soak: input.soak,
    pools: input.drift,
    notes: input.notes,
    records: input.records,
  };
  return { text, markdown, json };
}
