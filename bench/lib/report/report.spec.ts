import { parseOptions } from '../options';
import type { SoakResult } from '../phases/soak';
import type { Variant } from '../scenarios';
import type { WindowRecord } from '../runner';
import { buildReport, type ReportInput } from './report';

/** Figures chosen by hand, so that each target's verdict is known in advance. */
function rec(
  set: WindowRecord['set'],
  cell: string,
  variant: Variant,
  round: number,
  rps: number,
  cpuMsPerReq: number,
  extra: Partial<WindowRecord> = {},
): WindowRecord {
  return {
    set,
    cell,
    key: cell.split(' ')[0],
    variant,
    round,
    rps,
    count: Math.round(rps * 3),
    errors: 0,
    statuses: {},
    p50: 10,
    p90: 15,
    p99: 30,
    mean: 11,
    cpuMsPerReq,
    engineCpuMsPerReq: NaN,
    elapsedMs: 3000,
    ...extra,
  };
}

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    date: '2026-01-01T00:00:00.000Z',
    machine: { cores: 2, cpu: 'test cpu', memGiB: 4, node: 'v24.0.0' },
    engineInfo: 'MongoDB 8.0',
    localEngine: false,
    uri: 'mongodb://db/bench',
    opts: parseOptions([])!,
    command: 'npm run bench',
    totalSeconds: 100,
    buildNote: 'up to date',
    seedMs: 1000,
    serviceIdleMsPerS: 5,
    collection: { sessions: 10, open: 10, appendIndex: 'sessionId_1' },
    records: [],
    mainCells: [],
    quietCells: [],
    fixedRate: null,
    batchRoute: null,
    soak: null,
    drift: [],
    notes: [],
    ...overrides,
  };
}

const line = (text: string, start: string | RegExp) =>
  text
    .split('\n')
    .find((l) =>
      typeof start === 'string' ? l.startsWith(start) : start.test(l),
    ) ?? '';

describe('buildReport()', () => {
  it('is a pure function of its input', () => {
    const records = [rec('main', 'S2 append N=0', 'svc', 1, 500, 1)];
    const mainCells = ['S2 append N=0'];
    expect(buildReport(input({ records, mainCells }))).toEqual(
      buildReport(input({ records, mainCells })),
    );
  });

  it('keeps the main table with its svc/L1 and svc/L2 ratios and the T targets', () => {
    const records = [
      rec('main', 'S2 append N=0', 'svc', 1, 600, 1),
      rec('main', 'S2 append N=0', 'L2', 1, 1200, 0.25),
      rec('main', 'S2 append N=0', 'L1', 1, 1000, 0.15),
    ];
    const { text } = buildReport(
      input({ records, mainCells: ['S2 append N=0'] }),
    );
    expect(line(text, /^S2 append N=0 +svc/)).toMatch(
      /600 .* 0\.60 +0\.50 +0$/,
    );
    expect(line(text, 'T1 append throughput')).toMatch(/0\.60 +>= 0\.60 +PASS/);
  });

  it('states the CPU targets of the quiet measure as met or missed with the ratio', () => {
    const records = [1, 2, 3].flatMap((round) => [
      rec('quiet', 'Q create', 'svc', round, 500, 0.5),
      rec('quiet', 'Q create', 'L2', round, 1500, 0.3),
      rec('quiet', 'Q append N=0', 'svc', round, 500, 0.9),
      rec('quiet', 'Q append N=0', 'L2', round, 1500, 0.3),
    ]);
    const { text } = buildReport(
      input({ records, quietCells: ['Q create', 'Q append N=0'] }),
    );
    expect(line(text, 'C1 service CPU/req, create')).toMatch(
      /1\.67x +<= 2\.00 +met/,
    );
    expect(line(text, 'C1 service CPU/req, append')).toMatch(
      /3\.00x +<= 2\.00 +missed/,
    );
    expect(line(text, /^Q create +svc/)).toMatch(/0\.500 +0\.500/);
  });

  it('says why the batch scenario was skipped, and leaves its target unmeasured', () => {
    const { text } = buildReport(
      input({
        batchRoute: {
          available: false,
          detail:
            'the service has no batch route (answered 405 METHOD_NOT_ALLOWED)',
        },
      }),
    );
    expect(text).toContain(
      'Batch appends: skipped: the service has no batch route (answered 405 METHOD_NOT_ALLOWED).',
    );
    expect(
      line(text, 'B1 events/s, batches of 50 / single appends, N=0'),
    ).toMatch(/not measured/);
  });

  it('compares batches of 50 with single appends in events per second', () => {
    const records = [1, 2].flatMap((round) => [
      rec('batch', 'B single appends N=0', 'svc', round, 500, 1, { n: 0 }),
      rec('batch', 'B batch of 50 N=0', 'svc', round, 120, 4, {
        n: 0,
        batch: 50,
      }),
    ]);
    const { text } = buildReport(
      input({ records, batchRoute: { available: true, detail: 'ok' } }),
    );
    expect(
      line(text, 'B1 events/s, batches of 50 / single appends, N=0'),
    ).toMatch(/12\.00x +>= 10\.00 +met/);
    expect(text).toMatch(/0 +batch of 50 +120 +6000 +4\.000 +0\.0800/);
  });

  it('judges the soak on memory growth and error responses', () => {
    const mib = 2 ** 20;
    const soak: SoakResult = {
      requests: 1000,
      seconds: 10,
      targetRate: 100,
      achievedRate: 100,
      warmupSeconds: 2,
      statuses: { 200: 400, 201: 599, 500: 1 },
      errorResponses: 1,
      socketErrors: 0,
      cpuMsPerReq: 1,
      latency: { p50: 5, p90: 8, p99: 20, max: 30, mean: 6, samples: 1000 },
      samples: [],
      start: { rssBytes: 100 * mib, heapUsedBytes: 40 * mib },
      end: { rssBytes: 105 * mib, heapUsedBytes: 50 * mib },
    };
    const { text } = buildReport(input({ soak }));
    expect(line(text, 'C5 soak RSS')).toMatch(/1\.05x +<= 1\.10 +met/);
    expect(line(text, 'C6 soak heap')).toMatch(/1\.25x +<= 1\.10 +missed/);
    expect(line(text, 'C7 soak error responses')).toMatch(
      /1 +== 0|1 += 0 +missed/,
    );
  });

  it('says when the soak was not run', () => {
    const { text } = buildReport(input());
    expect(text).toContain('Soak: not run');
    expect(line(text, 'C5 soak RSS')).toMatch(/not measured/);
  });
});
