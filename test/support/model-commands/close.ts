import fc from 'fast-check';
import { type ConversationModel, isoWithOffset } from '../model';
import {
  checkStored,
  type Cmd,
  expectAnswer,
  expectServerTime,
  expectSessionBody,
  offset,
  type Real,
  SLOTS,
  targetOf,
} from '../model-runner';
import { utf16String } from '../property';

/** POST /sessions/:id/complete and /fail, with endedAt after, at or before startedAt. */

type EndVariant = 'none' | 'after' | 'equal' | 'before';

export class CompleteCommand implements Cmd {
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

export const completeCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    end: fc.constantFrom<EndVariant>('none', 'after', 'equal', 'before'),
    deltaMs: fc.integer({ min: 0, max: 7 * 24 * 3600_000 }),
    offsetMinutes: offset,
  })
  .map((r) => new CompleteCommand(r.slot, r.end, r.deltaMs, r.offsetMinutes));

export class FailCommand implements Cmd {
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

export const failCommand = fc
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
