import fc from 'fast-check';
import {
  type AppendBody,
  type ConversationModel,
  isoWithOffset,
  reorderKeys,
} from '../model';
import {
  checkStored,
  type Cmd,
  EVENT_TYPES,
  expectAnswer,
  expectServerTime,
  instant,
  offset,
  type Real,
  SLOTS,
  targetOf,
} from '../model-runner';
import { storableJsonObject, wire } from '../property';

/** POST /sessions/:id/events: new, foreign, replayed, equivalent or conflicting events. */

type AppendVariant = 'new' | 'foreign' | 'same' | 'equivalent' | 'conflict';

export class AppendCommand implements Cmd {
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

export const appendCommand = fc
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
