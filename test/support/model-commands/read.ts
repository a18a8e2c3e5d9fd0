import fc from 'fast-check';
import {
  type ConversationModel,
  type ModelSession,
  type SessionStatus,
} from '../model';
import {
  checkStored,
  type Cmd,
  expectAnswer,
  MODEL_MAX_EVENTS,
  type Real,
  SLOTS,
  STATUSES,
  targetOf,
} from '../model-runner';

/** The reads: a session with its page of events, an event page, one event, the list. */

type ReadKind = 'session' | 'events' | 'event';

export class ReadCommand implements Cmd {
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

export const readCommand = fc
  .record({
    slot: fc.nat(SLOTS - 1),
    kind: fc.constantFrom<ReadKind>('session', 'events', 'event'),
    after: fc.nat(MODEL_MAX_EVENTS + 1),
    limit: fc.integer({ min: 1, max: 4 }),
    pick: fc.nat(20),
  })
  .map((r) => new ReadCommand(r.slot, r.kind, r.after, r.limit, r.pick));

export class ListCommand implements Cmd {
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

export const listCommand = fc
  .option(fc.constantFrom(...STATUSES), { nil: undefined })
  .map((status) => new ListCommand(status));
