import fc from 'fast-check';
import type { ConversationModel } from '../model';
import { batchAppended, expectBatch, replayedPositions } from '../model-batch';
import {
  checkStored,
  type Cmd,
  expectAnswer,
  expectServerTime,
  type Real,
  SLOTS,
  targetOf,
} from '../model-runner';
import { wire } from '../property';
import { type AppendCommand, appendCommand } from './append';

/** POST /sessions/:id/events/batch: a batch of appends, each event built like a single append's body. */
export class BatchCommand implements Cmd {
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

export const batchCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    pick: fc.nat(20),
    items: fc.array(appendCommand, { minLength: 1, maxLength: 4 }),
  })
  .map((r) => new BatchCommand(r.slot, r.pick, r.items));
