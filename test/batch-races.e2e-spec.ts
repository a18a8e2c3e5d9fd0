import { isDeepStrictEqual } from 'node:util';
import type { Response } from 'supertest';
import { createTestApp, type TestAgent, type TestApp } from './support/app';
import {
  concurrently,
  countBy,
  createSession,
  type AppendEventBody,
  eventBody,
  uniqueId,
} from './support/fixtures';

type Body = AppendEventBody;
interface BatchEvent {
  eventId: string;
  seq: number;
  receivedAt: string;
  outcome: 'created' | 'replayed';
}

/**
 * Batches racing each other and single appends of the same events, all in
 * flight at once. Afterwards: every event stored exactly once, seq 1..n
 * without gaps, each event created by exactly one answer, and every answer's
 * seqs, receivedAt and outcomes agree with what is stored.
 */
describe('Batch append under concurrency', () => {
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
  });
  afterAll(() => t.close());

  const events = (n: number): Body[] =>
    Array.from({ length: n }, (_, i) =>
      eventBody({ eventId: `${uniqueId('e')}-${i}`, payload: { i } }),
    );
  const batch = (sessionId: string, body: Body[]) =>
    http.post(`/sessions/${sessionId}/events/batch`).send({ events: body });

  /** The stored events by eventId, with their seq; checks seq 1..n and no duplicate. */
  async function storedState(sessionId: string, sent: Body[]) {
    const doc = await t.sessions.findOne({ sessionId }).lean().exec();
    const ids = doc!.events.map((e) => e.eventId);
    expect(doc!.eventCount).toBe(ids.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(sent.map((e) => e.eventId)));
    const page = await http
      .get(`/sessions/${sessionId}/events?limit=1000`)
      .expect(200);
    expect(page.body.events.map((e: BatchEvent) => e.seq)).toEqual(
      ids.map((_, i) => i + 1),
    );
    for (const body of sent) {
      const e = doc!.events[ids.indexOf(body.eventId)];
      expect(isDeepStrictEqual(e.payload, body.payload)).toBe(true);
    }
    return new Map(
      doc!.events.map((e, i) => [
        e.eventId,
        { seq: i + 1, receivedAt: e.receivedAt.toISOString() },
      ]),
    );
  }

  /** Every answered event agrees with the stored one; returns who created what. */
  function checkBatchAnswers(
    responses: Response[],
    stored: Map<string, { seq: number; receivedAt: string }>,
  ): string[] {
    const created: string[] = [];
    for (const res of responses) {
      const answered = res.body.events as BatchEvent[];
      const outcomes = answered.map((e) => e.outcome);
      expect(res.status).toBe(outcomes.includes('created') ? 201 : 200);
      for (const e of answered) {
        expect({ eventId: e.eventId, ...stored.get(e.eventId) }).toEqual({
          eventId: e.eventId,
          seq: e.seq,
          receivedAt: e.receivedAt,
        });
        if (e.outcome === 'created') created.push(e.eventId);
      }
      // What one request stored went in together, in its request order.
      const seqs = answered
        .filter((e) => e.outcome === 'created')
        .map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    }
    return created;
  }

  it('16 identical batches of 50 at once: one 201, fifteen 200, 50 stored once', async () => {
    const sessionId = await createSession(http);
    const body = events(50);

    const responses = await concurrently(16, () => batch(sessionId, body));

    expect(countBy(responses, (r) => r.status)).toEqual({ 200: 15, 201: 1 });
    const winner = responses.find((r) => r.status === 201)!;
    expect(
      (winner.body.events as BatchEvent[]).every(
        (e) => e.outcome === 'created',
      ),
    ).toBe(true);
    for (const res of responses.filter((r) => r.status === 200)) {
      expect(res.headers['idempotent-replayed']).toBe('true');
    }
    const stored = await storedState(sessionId, body);
    expect([...stored.keys()]).toEqual(body.map((e) => e.eventId));
    const created = checkBatchAnswers(responses, stored);
    expect(created.sort()).toEqual(body.map((e) => e.eventId).sort());
  });

  it('8 overlapping sliding-window batches over 100 events: each stored once, seq 1..100', async () => {
    const sessionId = await createSession(http);
    const body = events(100);
    const windows = Array.from({ length: 8 }, (_, k) =>
      body.slice(k * 10, Math.min(100, k * 10 + 30)),
    );

    const responses = await concurrently(8, (k) =>
      batch(sessionId, windows[k]),
    );

    const stored = await storedState(sessionId, body);
    expect(stored.size).toBe(100);
    const created = checkBatchAnswers(responses, stored);
    expect(created.sort()).toEqual(body.map((e) => e.eventId).sort());
  });

  it('batches racing single appends of the same events: each stored once, answers agree', async () => {
    const sessionId = await createSession(http);
    const body = events(60);
    const windows = [0, 15, 30, 45].map((from) => body.slice(from, from + 20));

    const [batches, singles] = await Promise.all([
      concurrently(windows.length, (k) => batch(sessionId, windows[k])),
      concurrently(body.length, (i) =>
        http.post(`/sessions/${sessionId}/events`).send(body[i]),
      ),
    ]);

    const stored = await storedState(sessionId, body);
    const created = checkBatchAnswers(batches, stored);
    for (const [i, res] of singles.entries()) {
      expect([200, 201]).toContain(res.status);
      expect(res.body).toMatchObject({
        eventId: body[i].eventId,
        ...stored.get(body[i].eventId),
      });
      if (res.status === 201) created.push(res.body.eventId as string);
    }
    expect(created.sort()).toEqual(body.map((e) => e.eventId).sort());
  });

  it('conflicting versions in racing batches: one version stored per eventId, the losers refused whole', async () => {
    const sessionId = await createSession(http);
    const body = events(20);
    const rival = body.map((e) => ({ ...e, payload: { rival: true } }));

    const responses = await concurrently(8, (k) =>
      batch(sessionId, k % 2 === 0 ? body : rival),
    );

    const doc = await t.sessions.findOne({ sessionId }).lean().exec();
    expect(doc!.eventCount).toBe(20);
    const winner = isDeepStrictEqual(doc!.events[0].payload, { rival: true })
      ? rival
      : body;
    expect(doc!.events.map((e) => e.payload)).toEqual(
      winner.map((e) => e.payload),
    );
    expect(countBy(responses, (r) => r.status)).toEqual({
      200: 3,
      201: 1,
      409: 4,
    });
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.body.code).toBe('EVENT_CONFLICT');
      expect(res.body.errors).toHaveLength(20);
    }
  });
});
