import fc from 'fast-check';
import {
  type ConversationModel,
  type CreateBody,
  isoWithOffset,
  reorderKeys,
} from '../model';
import {
  checkStored,
  type Cmd,
  expectAnswer,
  expectServerTime,
  expectSessionBody,
  instant,
  offset,
  type Real,
  sessionIdOf,
  SLOTS,
} from '../model-runner';
import { storableJsonObject, wire } from '../property';

/** POST /sessions: new, replayed, equivalent (written differently) or conflicting. */

type CreateVariant = 'fresh' | 'same' | 'equivalent' | 'conflict';

export class CreateCommand implements Cmd {
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

export const createCommand = fc
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
