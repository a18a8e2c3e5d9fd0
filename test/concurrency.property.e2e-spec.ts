import fc from 'fast-check';
import type { Response } from 'supertest';
import { isDeepStrictEqual } from 'node:util';
import { useTestApp } from './support/app';
import { seedSession } from './support/fixtures';
import {
  type BatchAnswer,
  checkBatchAnswer,
  type EventBody,
} from './support/batch-answers';
import {
  PROPERTY_CONFIG,
  propertyParameters,
  RequestCounter,
  storableJsonObject,
  wire,
} from './support/property';

/**
 * Random bursts of appends fired all at once at a few sessions: new events
 * (often the same one several times), batch appends of several of them,
 * replays of stored events, conflicting versions of an eventId racing each
 * other, and sometimes a complete racing the appends. Afterwards every session holds seq 1..n without gaps, no
 * eventId twice, every acknowledged event exactly as acknowledged, and nothing
 * that was not acknowledged.
 */

const RUNS = 50;

type EventType = 'user_speech' | 'bot_speech' | 'system';

type Op =
  /** Append `variant` of event `key` (variants of one key conflict with each other). */
  | { kind: 'append'; session: number; key: number; variant: number }
  /** Replay one of the events stored before the batch. */
  | { kind: 'replay'; session: number; pick: number }
  /** Append events `keys` as one batch, all in `variant`. */
  | { kind: 'batch'; session: number; keys: number[]; variant: number }
  | { kind: 'complete'; session: number };

interface Batch {
  sessions: number;
  /** Events stored (sequentially) in each session before the batch. */
  preloaded: number[];
  ops: Op[];
  contents: { type: EventType; payload: Record<string, unknown> }[];
}

const batch: fc.Arbitrary<Batch> = fc
  .integer({ min: 1, max: 3 })
  .chain((sessions) =>
    fc.record({
      sessions: fc.constant(sessions),
      preloaded: fc.array(fc.nat(3), {
        minLength: sessions,
        maxLength: sessions,
      }),
      ops: fc.array(
        fc.oneof(
          {
            weight: 8,
            arbitrary: fc.record({
              kind: fc.constant('append' as const),
              session: fc.nat(sessions - 1),
              key: fc.nat(7),
              // Mostly variant 0: duplicates of one event; sometimes a rival.
              variant: fc.oneof(
                { weight: 4, arbitrary: fc.constant(0) },
                { weight: 1, arbitrary: fc.nat(2) },
              ),
            }),
          },
          {
            weight: 3,
            arbitrary: fc.record({
              kind: fc.constant('replay' as const),
              session: fc.nat(sessions - 1),
              pick: fc.nat(5),
            }),
          },
          {
            weight: 3,
            arbitrary: fc.record({
              kind: fc.constant('batch' as const),
              session: fc.nat(sessions - 1),
              keys: fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 5 }),
              variant: fc.oneof(
                { weight: 4, arbitrary: fc.constant(0) },
                { weight: 1, arbitrary: fc.nat(2) },
              ),
            }),
          },
          {
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant('complete' as const),
              session: fc.nat(sessions - 1),
            }),
          },
        ),
        { minLength: 10, maxLength: 40 },
      ),
      contents: fc.array(
        fc.record({
          type: fc.constantFrom<EventType>(
            'user_speech',
            'bot_speech',
            'system',
          ),
          payload: storableJsonObject,
        }),
        { minLength: 3, maxLength: 3 },
      ),
    }),
  );

describe('Property: parallel appends and replays keep every session consistent', () => {
  const t = useTestApp(PROPERTY_CONFIG);

  it('seq 1..n, no duplicate eventId, every acknowledged event stored as acknowledged', async () => {
    const counter = new RequestCounter('concurrency');
    let run = 0;

    await fc.assert(
      fc.asyncProperty(batch, async (b) => {
        const prefix = `c${run++}`;
        const sessionIds = Array.from(
          { length: b.sessions },
          (_, i) => `${prefix}-s${i}`,
        );
        const eventBody = (key: number, variant: number): EventBody =>
          wire({
            eventId: `k${key}`,
            type: b.contents[variant].type,
            payload: { ...b.contents[variant].payload, key, variant },
            timestamp: new Date(
              Date.UTC(2026, 0, 1) + key * 1000 + variant,
            ).toISOString(),
          });

        // Sessions, and events stored before the batch (one at a time).
        const preloaded: EventBody[][] = [];
        for (const [i, sessionId] of sessionIds.entries()) {
          const events = Array.from({ length: b.preloaded[i] }, (_, p) =>
            wire({
              eventId: `pre${p}`,
              type: 'system' as const,
              payload: { p },
              timestamp: new Date(Date.UTC(2025, 0, 1) + p).toISOString(),
            }),
          );
          const seeded = await seedSession(t.http, {
            session: { sessionId, language: 'en' },
            events,
          });
          counter.add(...seeded.responses);
          preloaded.push(events);
        }

        // The batch, all in flight at once.
        const requests = b.ops.map((op) => {
          const sessionId = sessionIds[op.session];
          if (op.kind === 'complete') {
            return {
              op,
              body: undefined,
              send: () => t.http.post(`/sessions/${sessionId}/complete`),
            };
          }
          if (op.kind === 'batch') {
            const bodies = op.keys.map((key) => eventBody(key, op.variant));
            return {
              op,
              body: undefined,
              bodies,
              send: () =>
                t.http
                  .post(`/sessions/${sessionId}/events/batch`)
                  .send({ events: bodies }),
            };
          }
          const body =
            op.kind === 'append'
              ? eventBody(op.key, op.variant)
              : (preloaded[op.session][
                  op.pick % Math.max(1, preloaded[op.session].length)
                ] ?? eventBody(op.pick, 0));
          return {
            op,
            body,
            send: () => t.http.post(`/sessions/${sessionId}/events`).send(body),
          };
        });
        const responses: Response[] = await Promise.all(
          requests.map((r) => r.send()),
        );
        counter.add(...responses);

        for (const [i, sessionId] of sessionIds.entries()) {
          const doc = await t.sessions.findOne({ sessionId }).lean().exec();
          const stored = doc!.events;
          const ids = stored.map((e) => e.eventId);
          const answers = requests
            .map((r, n) => ({ ...r, res: responses[n] }))
            .filter((r) => r.op.session === i);
          const context = `session ${sessionId}: ${answers
            .map(
              (a) =>
                `${a.body?.eventId ?? (a.bodies ? `[${a.bodies.map((b) => b.eventId).join(',')}]` : 'complete')}->${a.res.status}`,
            )
            .join(' ')}`;
          const storedAs = (body: EventBody) => {
            const at = ids.indexOf(body.eventId);
            const event = at >= 0 ? stored[at] : undefined;
            const same =
              event !== undefined &&
              event.type === body.type &&
              event.timestamp.getTime() === Date.parse(body.timestamp) &&
              isDeepStrictEqual(event.payload, body.payload);
            return { at, event, same };
          };

          // seq 1..n without gaps, each eventId once, the count in step.
          expect({ context, count: doc!.eventCount }).toEqual({
            context,
            count: stored.length,
          });
          expect(new Set(ids).size).toBe(ids.length);
          const page = await t.http.get(
            `/sessions/${sessionId}/events?limit=1000`,
          );
          counter.add(page);
          expect(
            (page.body.events as { seq: number; eventId: string }[]).map(
              (e) => [e.seq, e.eventId],
            ),
          ).toEqual(ids.map((id, n) => [n + 1, id]));

          // The events stored before the batch are still first, unchanged.
          expect(ids.slice(0, preloaded[i].length)).toEqual(
            preloaded[i].map((e) => e.eventId),
          );

          for (const a of answers) {
            expect(a.res.status).toBeLessThan(500);
            if (a.bodies) {
              checkBatchAnswer(a.bodies, a.res, storedAs, context);
              continue;
            }
            if (!a.body) {
              expect(a.res.status).toBe(200);
              continue;
            }
            const { at, event, same } = storedAs(a.body);
            if (a.res.status === 201 || a.res.status === 200) {
              // Acknowledged: stored, at the seq answered, as sent.
              expect({ context, same }).toEqual({ context, same: true });
              expect(a.res.body).toMatchObject({
                eventId: a.body.eventId,
                seq: at + 1,
                receivedAt: event!.receivedAt.toISOString(),
              });
            } else {
              expect(a.res.status).toBe(409);
              const code = (a.res.body as { code: string }).code;
              if (code === 'EVENT_CONFLICT') {
                // Another version of this eventId is stored.
                expect(event).toBeDefined();
                expect(same).toBe(false);
              } else {
                // Closed before this append, and nothing with this id got in.
                expect(code).toBe('SESSION_CLOSED');
                expect(event).toBeUndefined();
              }
            }
          }

          // Each eventId was created once: by one 201 or one batch's
          // `created` in the burst, or before it.
          for (const id of new Set(ids)) {
            const created =
              answers.filter(
                (a) => a.body?.eventId === id && a.res.status === 201,
              ).length +
              answers.filter(
                (a) =>
                  a.bodies &&
                  (a.res.status === 201 || a.res.status === 200) &&
                  (a.res.body as BatchAnswer).events.some(
                    (e) => e.eventId === id && e.outcome === 'created',
                  ),
              ).length;
            const before = preloaded[i].some((e) => e.eventId === id);
            expect({ context, id, created }).toEqual({
              context,
              id,
              created: before ? 0 : 1,
            });
          }
        }
      }),
      propertyParameters('concurrency', RUNS),
    );
    counter.report();
  }, 180_000);
});
