import { setTimeout as sleep } from 'node:timers/promises';
import type { TestAgent, TestApp } from './app';
import { eventBody, sessionBody } from './fixtures';

/** One answer the service gave, timed from the load's start. */
export interface Answer {
  status: number;
  startedAt: number;
  endedAt: number;
  ms: number;
}

/** A client that gives up on a request never answered sees this "status". */
export const NO_ANSWER = 0;
const CLIENT_TIMEOUT_MS = 15_000;
const PAUSE_AFTER_FAILURE_MS = 50;

/**
 * Clients as a voice backend runs them: each writes its next event (or, for
 * the creators, its next session) and sends the same request again until it
 * is acknowledged (201, or 200 for a replay), so that nothing it was told was
 * stored may be missing afterwards, and nothing may be stored twice.
 */
export class Writers {
  readonly answers: Answer[] = [];
  /** eventId -> the seq its acknowledgement gave. */
  readonly acknowledgedEvents = new Map<string, number>();
  readonly acknowledgedSessions = new Set<string>();
  private running = false;
  private clients: Promise<void>[] = [];
  private readonly t0 = Date.now();

  constructor(
    private readonly http: TestAgent,
    readonly sessionId: string,
    private readonly appenders: number,
    private readonly creators: number,
  ) {}

  /** Milliseconds since the load was set up: the clock of every Answer. */
  now(): number {
    return Date.now() - this.t0;
  }

  start(): void {
    this.running = true;
    this.clients = [
      ...Array.from({ length: this.appenders }, (_, n) => this.append(n)),
      ...Array.from({ length: this.creators }, (_, n) => this.create(n)),
    ];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  /** Answers to requests sent in [from, to) (load clock). */
  sentBetween(from: number, to: number): Answer[] {
    return this.answers.filter((a) => a.startedAt >= from && a.startedAt < to);
  }

  /** Answers to requests both sent and answered in [from, to). */
  within(from: number, to: number): Answer[] {
    return this.sentBetween(from, to).filter((a) => a.endedAt < to);
  }

  private async append(n: number): Promise<void> {
    for (let i = 0; this.running; i++) {
      const body = eventBody({ eventId: `w${n}-e${i}` });
      const seq = await this.untilAcknowledged(
        `/sessions/${this.sessionId}/events`,
        body,
      );
      if (seq !== undefined) this.acknowledgedEvents.set(body.eventId, seq);
    }
  }

  private async create(n: number): Promise<void> {
    for (let i = 0; this.running; i++) {
      const body = sessionBody({ sessionId: `${this.sessionId}-c${n}-${i}` });
      const acknowledged = await this.untilAcknowledged('/sessions', body);
      if (acknowledged !== undefined)
        this.acknowledgedSessions.add(body.sessionId);
    }
  }

  /** Sends `body` until acknowledged; the seq (or 0) then, undefined if stopped first. */
  private async untilAcknowledged(
    path: string,
    body: object,
  ): Promise<number | undefined> {
    while (this.running) {
      const startedAt = this.now();
      const res = await this.http
        .post(path)
        .send(body)
        .timeout(CLIENT_TIMEOUT_MS)
        .then(
          (r) => ({ status: r.status, seq: r.body.seq as number | undefined }),
          () => ({ status: NO_ANSWER, seq: undefined }),
        );
      const endedAt = this.now();
      this.answers.push({
        status: res.status,
        startedAt,
        endedAt,
        ms: endedAt - startedAt,
      });
      if (res.status === 201 || res.status === 200) return res.seq ?? 0;
      await sleep(PAUSE_AFTER_FAILURE_MS);
    }
    return undefined;
  }
}

/** What the database holds after the load: every check the fault tests make. */
export async function storedState(t: TestApp, writers: Writers) {
  const session = await t.sessions
    .findOne({ sessionId: writers.sessionId })
    .lean()
    .orFail();
  const seqOf = new Map(session.events.map((e, i) => [e.eventId, i + 1]));
  const createdIds = [...writers.acknowledgedSessions];
  const storedSessions = await t.sessions.countDocuments({
    sessionId: { $in: createdIds },
  });
  return {
    eventCount: session.eventCount,
    events: session.events.length,
    distinctEventIds: seqOf.size,
    /** Acknowledged events that are missing or stored at another seq. */
    lost: [...writers.acknowledgedEvents].filter(
      ([eventId, seq]) => seqOf.get(eventId) !== seq,
    ),
    missingSessions: createdIds.length - storedSessions,
  };
}

/** Counts of answers by status, for messages and the record. */
export function statusCounts(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export interface FaultRun {
  writers: Writers;
  all: Answer[];
  /** Requests both sent and answered while the fault lasted. */
  during: Answer[];
  /** Requests sent once the recovery window after the fault had passed. */
  afterRecovery: Answer[];
  worstMs: number;
  /** From the fault's end to the first acknowledgement of a request sent after it. */
  recoveredMs: number;
}

/**
 * Runs the writers on `sessionId`, injects a fault for `faultMs` (calling
 * `whileFaulty` halfway through), ends it, and keeps the load going for the
 * recovery window and a little more.
 */
export async function runFaultUnderLoad(
  t: TestApp,
  fault: { start(): void; end(): void; ms: number; recoveryMs: number },
  whileFaulty: () => Promise<void> = async () => undefined,
): Promise<FaultRun> {
  const session = sessionBody();
  await t.http.post('/sessions').send(session).expect(201);
  const writers = new Writers(t.http, session.sessionId, 8, 2);
  writers.start();
  await sleep(1000);
  const startedAt = writers.now();
  fault.start();
  await sleep(fault.ms / 2);
  await whileFaulty();
  await sleep(Math.max(0, startedAt + fault.ms - writers.now()));
  const endedAt = writers.now();
  fault.end();
  await sleep(fault.recoveryMs + 1500);
  await writers.stop();

  const all = writers.answers;
  const firstAck = writers
    .sentBetween(endedAt, Infinity)
    .filter((a) => a.status === 200 || a.status === 201)
    .map((a) => a.endedAt)
    .sort((a, b) => a - b)[0];
  return {
    writers,
    all,
    during: writers.within(startedAt, endedAt),
    afterRecovery: writers.sentBetween(endedAt + fault.recoveryMs, Infinity),
    worstMs: Math.max(...all.map((a) => a.ms)),
    recoveredMs: firstAck === undefined ? Infinity : firstAck - endedAt,
  };
}

/** One line for the record: what the clients saw. */
export function describeRun(name: string, run: FaultRun): string {
  return (
    `${name}: ${run.all.length} answers ${JSON.stringify(statusCounts(run.all))}, ` +
    `answered during the fault ${JSON.stringify(statusCounts(run.during))}, ` +
    `worst ${run.worstMs} ms, first acknowledgement ${run.recoveredMs} ms after it ended`
  );
}

/**
 * What every fault under load must leave true: each answer within the bound
 * plus 1 s and never other than 200, 201 or 503; only 503s while the fault
 * lasted; success again within `recoveryMs` after it; and in the database,
 * every acknowledged write stored once, seq without gaps.
 */
export async function expectBoundedAndIntact(
  t: TestApp,
  run: FaultRun,
  { boundMs, recoveryMs }: { boundMs: number; recoveryMs: number },
): Promise<void> {
  // Bounded, and never a 500.
  expect(run.worstMs).toBeLessThan(boundMs + 1000);
  expect(run.all.filter((a) => ![200, 201, 503].includes(a.status))).toEqual(
    [],
  );
  // Honest: whatever was answered while it lasted was a 503.
  expect(run.during.length).toBeGreaterThan(0);
  expect(run.during.filter((a) => a.status !== 503)).toEqual([]);
  // Recovered: every request sent after recoveryMs succeeded.
  expect(run.recoveredMs).toBeLessThan(recoveryMs);
  expect(run.afterRecovery.length).toBeGreaterThan(0);
  expect(run.afterRecovery.filter((a) => a.status === 503)).toEqual([]);

  const stored = await storedState(t, run.writers);
  expect(stored.lost).toEqual([]);
  expect(stored.missingSessions).toBe(0);
  expect(stored.distinctEventIds).toBe(stored.events);
  expect(stored.eventCount).toBe(stored.events);
}
