import { MODEL_MAX_EVENTS } from './support/model-env';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from './support/app';
import {
  type AppendBody,
  ConversationModel,
  type CreateBody,
  type EventType,
  type Expected,
  isoWithOffset,
  type ModelSession,
  reorderKeys,
  type SessionStatus,
} from './support/model';
import {
  batchAppended,
  expectBatch,
  replayedPositions,
} from './support/model-batch';
import {
  commandsReplayPath,
  propertyParameters,
  RequestCounter,
  storableJsonObject,
  utf16String,
  wire,
} from './support/property';

/**
 * Model-based test: random interleavings of create (new, replayed, equivalent,
 * conflicting), append (new, replayed, equivalent, conflicting, to a closed or
 * full session), batch appends of such events (duplicates included),
 * complete, fail and reads, on three sessions per run, against
 * the real service and a plain model of the contract (support/model.ts). Every
 * answer (status, code, body, seq, replay header) and the stored document
 * after every command must agree with the model.
 */

const RUNS = 150;
const MAX_COMMANDS = 25;
const SLOTS = 3;
/** Slack for times the server takes from its own clock. */
const CLOCK_SLACK_MS = 50;

interface Real {
  t: TestApp;
  counter: RequestCounter;
  prefix: string;
  nextEventId: number;
}

type Cmd = fc.AsyncCommand<ConversationModel, Real>;

const sessionIdOf = (real: Real, slot: number) => `${real.prefix}-s${slot}`;

/**
 * The session a command on `slot` addresses: mostly one that exists (the
 * slot's own, else the first created), so that sequences get past 404; with
 * `pick % 6 === 0`, the slot's own even when it does not exist.
 */
function targetOf(
  model: ConversationModel,
  real: Real,
  slot: number,
  pick: number,
): string {
  const own = sessionIdOf(real, slot);
  if (model.get(own) || pick % 6 === 0) return own;
  return model.sessions.keys().next().value ?? own;
}

const EVENT_TYPES: EventType[] = ['user_speech', 'bot_speech', 'system'];
const STATUSES: SessionStatus[] = [
  'initiated',
  'active',
  'completed',
  'failed',
];

const instant = fc.integer({
  min: Date.parse('2000-01-01T00:00:00Z'),
  max: Date.parse('2030-12-31T23:59:59Z'),
});
/** Offsets in minutes, as RFC 3339 allows them (and a few real ones). */
const offset = fc.constantFrom(0, 60, -300, 330, 345, -720, 840, -59);

function expectAnswer(res: Response, expected: Expected): void {
  const summary = `${res.status} ${JSON.stringify(res.body)}`;
  expect({ status: res.status, summary }).toEqual({
    status: expected.status,
    summary,
  });
  if ('code' in expected) {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: expected.status,
      code: expected.code,
    });
  }
}

/** Stored document of one session == the model; updatedAt moves only when the command changed it. */
async function checkStored(
  model: ConversationModel,
  real: Real,
  sessionId: string,
  changed: boolean,
): Promise<void> {
  const doc = await real.t.sessions.findOne({ sessionId }).lean().exec();
  const session = model.get(sessionId);
  if (!session) {
    expect(doc).toBeNull();
    return;
  }
  expect(doc).not.toBeNull();
  expect({
    status: doc!.status,
    language: doc!.language,
    metadata: doc!.metadata,
    startedAt: doc!.startedAt.getTime(),
    endedAt: doc!.endedAt ? doc!.endedAt.getTime() : null,
    failureReason: doc!.failureReason,
    eventCount: doc!.eventCount,
    events: doc!.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      payload: e.payload,
      timestamp: e.timestamp.getTime(),
      receivedAt: e.receivedAt.toISOString(),
    })),
  }).toEqual({
    status: session.status,
    language: session.language,
    metadata: session.metadata,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    failureReason: session.failureReason,
    eventCount: session.events.length,
    events: session.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      payload: e.payload,
      timestamp: e.timestamp,
      receivedAt: e.receivedAt,
    })),
  });
  const updatedAt = doc!.updatedAt.getTime();
  if (changed) {
    expect(updatedAt).toBeGreaterThanOrEqual(session.updatedAt);
    session.updatedAt = updatedAt;
  } else {
    expect(updatedAt).toBe(session.updatedAt);
  }
}

/** A session answer: the model's view of it, updatedAt as stored. */
function expectSessionBody(
  res: Response,
  model: ConversationModel,
  sessionId: string,
): void {
  const session = model.get(sessionId)!;
  expect(res.body).toEqual({
    ...model.sessionView(session),
    updatedAt: new Date(session.updatedAt).toISOString(),
  });
}

function expectServerTime(iso: unknown, from: number, to: number): void {
  expect(typeof iso).toBe('string');
  const ms = Date.parse(iso as string);
  expect(ms).toBeGreaterThanOrEqual(from - CLOCK_SLACK_MS);
  expect(ms).toBeLessThanOrEqual(to + CLOCK_SLACK_MS);
}

// ---------------------------------------------------------------- create

type CreateVariant = 'fresh' | 'same' | 'equivalent' | 'conflict';

class CreateCommand implements Cmd {
  constructor(
    readonly slot: number,
    readonly variant: CreateVariant,
    readonly fresh: Omit<CreateBody, 'sessionId'>,
    readonly offsetMinutes: number,
    readonly conflictField: number,
  ) {}

  check = () => true;

  private body(model: ConversationModel, sessionId: string): CreateBody {
    const stored = model.get(sessionId);
    if (!stored || this.variant === 'fresh') {
      return { sessionId, ...this.fresh };
    }
    const original = stored.body;
    if (this.variant === 'same') return original;
    if (this.variant === 'equivalent') {
      // Same values, written differently; optional fields may be left out.
      return {
        sessionId,
        language: original.language,
        ...(original.metadata !== undefined && this.conflictField % 2 === 0
          ? { metadata: reorderKeys(original.metadata) }
          : {}),
        ...(original.startedAt !== undefined && this.conflictField % 3 !== 0
          ? {
              startedAt: isoWithOffset(
                Date.parse(original.startedAt),
                this.offsetMinutes,
              ),
            }
          : {}),
      };
    }
    // conflict: one supplied field differs from what is stored.
    switch (this.conflictField % 3) {
      case 0:
        return {
          ...original,
          language: original.language === 'en' ? 'de-CH' : 'en',
        };
      case 1:
        return {
          ...original,
          metadata: { ...stored.metadata, conflict: this.conflictField },
        };
      default:
        return {
          ...original,
          startedAt: new Date(stored.startedAt + 1).toISOString(),
        };
    }
  }

  async run(model: ConversationModel, real: Real): Promise<void> {
    const sessionId = sessionIdOf(real, this.slot);
    const body = wire(this.body(model, sessionId));
    const expected = model.create(body);
    const from = Date.now();
    const res = await real.t.http.post('/sessions').send(body);
    const to = Date.now();
    real.counter.add(res);
    expectAnswer(res, expected);

    if (expected.status === 201) {
      expect(res.headers.location).toBe(`/sessions/${sessionId}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      if (body.startedAt === undefined) {
        expectServerTime(res.body.startedAt, from, to);
      }
      model.created(body, res.body);
    } else if (expected.status === 200) {
      expect(res.headers['idempotent-replayed']).toBe('true');
    }
    await checkStored(model, real, sessionId, expected.status === 201);
    if (expected.status !== 409) expectSessionBody(res, model, sessionId);
  }

  toString = () =>
    `create(s${this.slot}, ${this.variant}, ${JSON.stringify(this.fresh)})`;
}

const createCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    variant: fc.constantFrom<CreateVariant>(
      'fresh',
      'same',
      'equivalent',
      'conflict',
    ),
    language: fc.constantFrom('en', 'en-US', 'de-CH', 'zh-Hant-TW', 'fr'),
    metadata: fc.option(storableJsonObject, { nil: undefined }),
    startedAt: fc.option(instant, { nil: undefined }),
    offsetMinutes: offset,
    conflictField: fc.nat(11),
  })
  .map(
    (r) =>
      new CreateCommand(
        r.slot,
        r.variant,
        {
          language: r.language,
          ...(r.metadata !== undefined ? { metadata: r.metadata } : {}),
          ...(r.startedAt !== undefined
            ? { startedAt: isoWithOffset(r.startedAt, r.offsetMinutes) }
            : {}),
        },
        r.offsetMinutes,
        r.conflictField,
      ),
  );

// ---------------------------------------------------------------- append

type AppendVariant = 'new' | 'foreign' | 'same' | 'equivalent' | 'conflict';

class AppendCommand implements Cmd {
  constructor(
    readonly slot: number,
    readonly variant: AppendVariant,
    readonly pick: number,
    readonly fresh: Omit<AppendBody, 'eventId'>,
    readonly offsetMinutes: number,
  ) {}

  check = () => true;

  /** The body this append sends (also one event of a batch). */
  body(model: ConversationModel, real: Real, sessionId: string): AppendBody {
    const newEvent = (): AppendBody => ({
      eventId: `e${real.nextEventId++}`,
      ...this.fresh,
    });
    if (this.variant === 'new') return newEvent();
    if (this.variant === 'foreign') {
      // An eventId another session holds: ids are unique per session only.
      const own = new Set(model.get(sessionId)?.events.map((e) => e.eventId));
      const others = [...model.sessions.values()]
        .flatMap((s) => s.events)
        .filter((e) => !own.has(e.eventId));
      const other = others[this.pick % Math.max(1, others.length)];
      return other ? { ...this.fresh, eventId: other.eventId } : newEvent();
    }
    const events = model.get(sessionId)?.events ?? [];
    const stored = events[this.pick % Math.max(1, events.length)];
    if (!stored) return newEvent();
    if (this.variant === 'same') return stored.body;
    if (this.variant === 'equivalent') {
      return {
        eventId: stored.eventId,
        type: stored.type,
        payload: reorderKeys(stored.payload),
        timestamp: isoWithOffset(stored.timestamp, this.offsetMinutes),
      };
    }
    // conflict: same eventId, one of type, payload, timestamp differs.
    switch (this.pick % 3) {
      case 0:
        return {
          ...stored.body,
          type: EVENT_TYPES[
            (EVENT_TYPES.indexOf(stored.type) + 1) % EVENT_TYPES.length
          ],
        };
      case 1:
        return {
          ...stored.body,
          payload: { ...stored.payload, conflict: true },
        };
      default:
        return {
          ...stored.body,
          timestamp: new Date(stored.timestamp + 1).toISOString(),
        };
    }
  }

  async run(model: ConversationModel, real: Real): Promise<void> {
    const sessionId = targetOf(model, real, this.slot, this.pick);
    const body = wire(this.body(model, real, sessionId));
    const expected = model.append(sessionId, body);
    const from = Date.now();
    const res = await real.t.http
      .post(`/sessions/${sessionId}/events`)
      .send(body);
    const to = Date.now();
    real.counter.add(res);
    expectAnswer(res, expected);

    if (expected.status === 201) {
      expect(res.headers.location).toBe(
        `/sessions/${sessionId}/events/${body.eventId}`,
      );
      expectServerTime(res.body.receivedAt, from, to);
      const event = model.appended(sessionId, body, res.body);
      expect(res.body).toEqual(model.eventView(event));
    } else if (expected.status === 200) {
      // The original event, seq and receivedAt included, even if closed or full.
      expect(res.headers['idempotent-replayed']).toBe('true');
      const stored = model.event(model.get(sessionId)!, body.eventId)!;
      expect(res.body).toEqual(model.eventView(stored));
    }
    await checkStored(model, real, sessionId, expected.status === 201);
  }

  toString = () =>
    `append(s${this.slot}, ${this.variant}, pick ${this.pick}, ${JSON.stringify(this.fresh)})`;
}

const appendCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    variant: fc.constantFrom<AppendVariant>(
      'new',
      'new',
      'foreign',
      'same',
      'equivalent',
      'conflict',
    ),
    pick: fc.nat(20),
    type: fc.constantFrom(...EVENT_TYPES),
    payload: storableJsonObject,
    timestamp: instant,
    offsetMinutes: offset,
  })
  .map(
    (r) =>
      new AppendCommand(
        r.slot,
        r.variant,
        r.pick,
        {
          type: r.type,
          payload: r.payload,
          timestamp: isoWithOffset(r.timestamp, r.offsetMinutes),
        },
        r.offsetMinutes,
      ),
  );

// ---------------------------------------------------------------- batch append

/** A batch of appends, each event built like a single append's body. */
class BatchCommand implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
    readonly items: AppendCommand[],
  ) {}

  check = () => true;

  async run(model: ConversationModel, real: Real): Promise<void> {
    const sessionId = targetOf(model, real, this.slot, this.pick);
    const bodies = this.items.map((item) =>
      wire(item.body(model, real, sessionId)),
    );
    const expected = expectBatch(model, sessionId, bodies);
    const from = Date.now();
    const res = await real.t.http
      .post(`/sessions/${sessionId}/events/batch`)
      .send({ events: bodies });
    const to = Date.now();
    real.counter.add(res);
    expectAnswer(res, expected);

    if (expected.status === 201 || expected.status === 200) {
      const replayed = replayedPositions(model, sessionId, bodies);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['idempotent-replayed']).toBe(
        expected.status === 200 ? 'true' : undefined,
      );
      const events = batchAppended(model, sessionId, bodies, res.body);
      expect(res.body).toEqual({
        events: events.map((e, i) => ({
          ...model.eventView(e),
          outcome: replayed.has(i) ? 'replayed' : 'created',
        })),
      });
      for (const [i, e] of events.entries()) {
        if (!replayed.has(i)) expectServerTime(e.receivedAt, from, to);
      }
    }
    await checkStored(model, real, sessionId, expected.status === 201);
  }

  toString = () =>
    `batch(s${this.slot}, pick ${this.pick}, [${this.items.map(String).join(', ')}])`;
}

const batchCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    pick: fc.nat(20),
    items: fc.array(appendCommand, { minLength: 1, maxLength: 4 }),
  })
  .map((r) => new BatchCommand(r.slot, r.pick, r.items));

// ---------------------------------------------------------------- complete / fail

type EndVariant = 'none' | 'after' | 'equal' | 'before';

class CompleteCommand implements Cmd {
  constructor(
    readonly slot: number,
    readonly end: EndVariant,
    readonly deltaMs: number,
    readonly offsetMinutes: number,
  ) {}

  check = () => true;

  async run(model: ConversationModel, real: Real): Promise<void> {
    const sessionId = targetOf(model, real, this.slot, this.deltaMs);
    const session = model.get(sessionId);
    const base = session?.startedAt ?? Date.parse('2026-01-01T00:00:00Z');
    const endedAt =
      this.end === 'none'
        ? undefined
        : isoWithOffset(
            this.end === 'after'
              ? base + this.deltaMs
              : this.end === 'equal'
                ? base
                : base - 1 - this.deltaMs,
            this.offsetMinutes,
          );
    const expected = model.complete(sessionId, endedAt);
    const wasOpen =
      session?.status === 'initiated' || session?.status === 'active';
    const from = Date.now();
    const res = await real.t.http
      .post(`/sessions/${sessionId}/complete`)
      .send(endedAt === undefined ? {} : { endedAt });
    const to = Date.now();
    real.counter.add(res);
    expectAnswer(res, expected);

    const changed = expected.status === 200 && wasOpen;
    if (changed) {
      if (endedAt === undefined) expectServerTime(res.body.endedAt, from, to);
      else expect(Date.parse(res.body.endedAt)).toBe(Date.parse(endedAt));
      model.closed(sessionId, { status: 'completed' }, res.body);
    }
    await checkStored(model, real, sessionId, changed);
    // A repeat answers with the stored endedAt, not the one just sent.
    if (expected.status === 200) expectSessionBody(res, model, sessionId);
  }

  toString = () =>
    `complete(s${this.slot}, ${this.end}, ${this.deltaMs}, ${this.offsetMinutes})`;
}

const completeCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    end: fc.constantFrom<EndVariant>('none', 'after', 'equal', 'before'),
    deltaMs: fc.integer({ min: 0, max: 7 * 24 * 3600_000 }),
    offsetMinutes: offset,
  })
  .map((r) => new CompleteCommand(r.slot, r.end, r.deltaMs, r.offsetMinutes));

class FailCommand implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
    readonly reason: string | undefined,
  ) {}

  check = () => true;

  async run(model: ConversationModel, real: Real): Promise<void> {
    const sessionId = targetOf(model, real, this.slot, this.pick);
    const session = model.get(sessionId);
    const expected = model.fail(sessionId, this.reason);
    const wasOpen =
      session?.status === 'initiated' || session?.status === 'active';
    const from = Date.now();
    const res = await real.t.http
      .post(`/sessions/${sessionId}/fail`)
      .send(this.reason === undefined ? {} : { reason: this.reason });
    const to = Date.now();
    real.counter.add(res);
    expectAnswer(res, expected);

    const changed = expected.status === 200 && wasOpen;
    if (changed) {
      expectServerTime(res.body.endedAt, from, to);
      model.closed(
        sessionId,
        { status: 'failed', reason: this.reason },
        res.body,
      );
    }
    await checkStored(model, real, sessionId, changed);
    if (expected.status === 200) expectSessionBody(res, model, sessionId);
  }

  toString = () =>
    `fail(s${this.slot}, pick ${this.pick}, ${JSON.stringify(this.reason)})`;
}

const failCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    pick: fc.nat(20),
    reason: fc.option(
      fc.oneof(
        {
          arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }),
          weight: 6,
        },
        // May hold lone surrogates: not Unicode, cannot be stored as sent.
        { arbitrary: utf16String(10), weight: 2 },
        {
          arbitrary: fc.constantFrom('x'.repeat(1024), 'x'.repeat(1025)),
          weight: 1,
        },
      ),
      { nil: undefined },
    ),
  })
  .map((r) => new FailCommand(r.slot, r.pick, r.reason));

// ---------------------------------------------------------------- reads

type ReadKind = 'session' | 'events' | 'event';

class ReadCommand implements Cmd {
  constructor(
    readonly slot: number,
    readonly kind: ReadKind,
    readonly after: number,
    readonly limit: number,
    readonly pick: number,
  ) {}

  check = () => true;

  async run(model: ConversationModel, real: Real): Promise<void> {
    const sessionId = targetOf(model, real, this.slot, this.after + this.limit);
    const session = model.get(sessionId);
    let url: string;
    let eventId = `missing-${this.pick}`;
    if (this.kind === 'event') {
      const events = session?.events ?? [];
      const stored = events[this.pick % Math.max(1, events.length)];
      if (stored && this.pick % 4 !== 0) eventId = stored.eventId;
      url = `/sessions/${sessionId}/events/${eventId}`;
    } else {
      url = `/sessions/${sessionId}${this.kind === 'events' ? '/events' : ''}?after=${this.after}&limit=${this.limit}`;
    }
    const res = await real.t.http.get(url);
    real.counter.add(res);

    if (!session) {
      expectAnswer(res, { status: 404, code: 'SESSION_NOT_FOUND' });
    } else if (this.kind === 'event') {
      const stored = model.event(session, eventId);
      if (!stored) {
        expectAnswer(res, { status: 404, code: 'EVENT_NOT_FOUND' });
      } else {
        expectAnswer(res, { status: 200 });
        expect(res.body).toEqual(model.eventView(stored));
      }
    } else {
      expectAnswer(res, { status: 200 });
      const page = model.eventPage(session, this.after, this.limit);
      expect(res.body).toEqual(
        this.kind === 'events'
          ? page
          : {
              ...model.sessionView(session),
              updatedAt: new Date(session.updatedAt).toISOString(),
              ...page,
            },
      );
    }
    await checkStored(model, real, sessionId, false);
  }

  toString = () =>
    `read(s${this.slot}, ${this.kind}, after ${this.after}, limit ${this.limit}, pick ${this.pick})`;
}

const readCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    kind: fc.constantFrom<ReadKind>('session', 'events', 'event'),
    after: fc.nat(MODEL_MAX_EVENTS + 1),
    limit: fc.integer({ min: 1, max: 4 }),
    pick: fc.nat(20),
  })
  .map((r) => new ReadCommand(r.slot, r.kind, r.after, r.limit, r.pick));

class ListCommand implements Cmd {
  constructor(readonly status: SessionStatus | undefined) {}

  check = () => true;

  async run(model: ConversationModel, real: Real): Promise<void> {
    const res = await real.t.http
      .get('/sessions')
      .query({ limit: 1000, ...(this.status ? { status: this.status } : {}) });
    real.counter.add(res);
    expectAnswer(res, { status: 200 });
    expect(res.body).toEqual({
      sessions: model.list(this.status).map((s: ModelSession) => ({
        ...model.sessionView(s),
        updatedAt: new Date(s.updatedAt).toISOString(),
      })),
      nextCursor: null,
    });
  }

  toString = () => `list(${this.status ?? 'all'})`;
}

const listCommand = fc
  .option(fc.constantFrom(...STATUSES), { nil: undefined })
  .map((status) => new ListCommand(status));

// ---------------------------------------------------------------- the property

describe('Property: the service behaves like the model of its contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('random create / append / batch / complete / fail / read sequences agree with the model', async () => {
    const counter = new RequestCounter('model');
    let run = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.commands(
          [
            createCommand,
            createCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            batchCommand,
            batchCommand,
            completeCommand,
            failCommand,
            readCommand,
            readCommand,
            listCommand,
          ],
          {
            maxCommands: MAX_COMMANDS,
            size: 'max',
            replayPath: commandsReplayPath(),
          },
        ),
        async (commands) => {
          // One run at a time: the list reads see exactly this run's sessions.
          await t.sessions.deleteMany({});
          const real: Real = {
            t,
            counter,
            prefix: `r${run++}`,
            nextEventId: 1,
          };
          await fc.asyncModelRun(async () => {
            const model = new ConversationModel(MODEL_MAX_EVENTS);
            // Every run starts with one session, so that most commands get past 404.
            await new CreateCommand(0, 'fresh', { language: 'en' }, 0, 0).run(
              model,
              real,
            );
            return { model, real };
          }, commands);
        },
      ),
      propertyParameters('model', RUNS),
    );
    counter.report();
  }, 240_000);
});
