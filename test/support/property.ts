import fc from 'fast-check';
import { relative } from 'node:path';
import type { TestConfig } from './config';

/**
 * Shared set-up of the fast-check property suites (test/*.property.e2e-spec.ts).
 *
 * - FC_SEED=<n>: the seed (default: random); printed with the number of runs
 *   before each property, and in fast-check's failure report with the `path`
 *   of the failing case;
 * - FC_PATH=<path>: replays exactly that case of that seed (from the report);
 *   for the model test also FC_REPLAY_PATH=<replayPath> (printed in the
 *   counterexample as replayPath="...");
 * - FC_RUNS=<factor>: multiplies every property's number of runs (e.g. 10 for
 *   a longer local soak).
 */
/** The property suites' settings: thousands of requests from one address must not meet the rate limit. */
export const PROPERTY_CONFIG: TestConfig = { RATE_LIMIT_MAX: 0 };

const SEED = parseSeed(process.env.FC_SEED);
const RUNS_FACTOR = Number(process.env.FC_RUNS ?? '1');

function parseSeed(raw: string | undefined): number {
  if (raw === undefined || raw === '') {
    return (Math.random() * 0x1_0000_0000) | 0;
  }
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`FC_SEED must be an integer, not ${raw}`);
  }
  return seed | 0;
}

/** fc.assert parameters for one property: the seed, its runs, and a report that names both. */
export function propertyParameters<Ts>(
  name: string,
  numRuns: number,
): fc.Parameters<Ts> {
  if (!(RUNS_FACTOR > 0)) throw new Error('FC_RUNS must be a positive number');
  const runs = Math.max(1, Math.round(numRuns * RUNS_FACTOR));
  const path = process.env.FC_PATH || undefined;
  const testPath = expect.getState().testPath ?? '';
  const project = /[\\/]test[\\/]controller[\\/]/.test(testPath)
    ? 'controller'
    : 'e2e';
  console.log(
    `[fast-check] ${name}: seed ${SEED}, ${runs} runs` +
      (path ? `, replaying path ${path}` : '') +
      ` (reproduce: FC_SEED=${SEED} npx jest ${relative(process.cwd(), testPath)} --selectProjects ${project})`,
  );
  return {
    seed: SEED,
    numRuns: runs,
    path,
    endOnFailure: path !== undefined,
    verbose: fc.VerbosityLevel.Verbose,
  };
}

/** fc.commands' replayPath (FC_REPLAY_PATH), needed with FC_PATH to replay a command sequence. */
export function commandsReplayPath(): string | undefined {
  return process.env.FC_REPLAY_PATH || undefined;
}

/** Counts the HTTP requests a property sends, by outcome, for its closing summary line. */
export class RequestCounter {
  private count = 0;
  private readonly outcomes = new Map<string, number>();
  private readonly started = Date.now();

  constructor(private readonly name: string) {}

  /** One request per response; problems are tallied by status and code. */
  add(
    ...responses: {
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
    }[]
  ): void {
    for (const { status, body, headers } of responses) {
      const code =
        status >= 400 && typeof body === 'object' && body !== null
          ? (body as { code?: unknown }).code
          : undefined;
      const key =
        typeof code === 'string'
          ? `${status} ${code}`
          : headers?.['idempotent-replayed'] === 'true'
            ? `${status} replayed`
            : `${status}`;
      this.count += 1;
      this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    }
  }

  get total(): number {
    return this.count;
  }

  report(): void {
    const outcomes = [...this.outcomes]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, n]) => `${key}: ${n}`)
      .join(', ');
    console.log(
      `[fast-check] ${this.name}: ${this.count} requests in ${((Date.now() - this.started) / 1000).toFixed(1)} s (${outcomes})`,
    );
  }
}

/** Keys a stored JSON object may have (see jsonObjectProblem in src/common/validation.ts). */
export function isStorableKey(key: string): boolean {
  return (
    !key.startsWith('$') &&
    !key.includes('.') &&
    !key.includes('\0') &&
    !['__proto__', 'constructor', 'prototype'].includes(key) &&
    key.isWellFormed()
  );
}

/** JSON values the service stores as they are: storable keys, well-formed strings, small. */
export const storableJsonValue: fc.Arbitrary<unknown> = fc.letrec<{
  value: unknown;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.string({ unit: 'grapheme', maxLength: 8 }).filter(isStorableKey),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value;

export const storableJsonObject: fc.Arbitrary<Record<string, unknown>> =
  fc.dictionary(
    fc.string({ unit: 'grapheme', maxLength: 8 }).filter(isStorableKey),
    storableJsonValue,
    { maxKeys: 4 },
  );

/** Any UTF-16 string, lone surrogates (not well-formed Unicode) included. */
export const utf16String = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc
        .integer({ min: 0xd800, max: 0xdfff })
        .map((unit) => String.fromCharCode(unit)),
    ),
    maxLength,
  });

/** What the server receives for `value`: JSON turns -0 into 0, drops undefined, and so on. */
export function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
