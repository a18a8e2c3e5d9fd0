import { useTestApp } from './support/app';
import {
  concurrently,
  countBy,
  createSession,
  eventBody,
  sessionBody,
} from './support/fixtures';

/**
 * Real concurrency: dozens of requests in flight at once over real sockets
 * against the real engine, then assertions on what must hold afterwards.
 */
describe('Concurrency', () => {
  const t = useTestApp();

  it('64 identical creates, over 10 fresh ids: exactly one 201 and 63 x 200 each, one document', async () => {
    for (let round = 0; round < 10; round++) {
      const body = sessionBody();
      const responses = await concurrently(64, () =>
        t.http.post('/sessions').send(body),
      );

      expect(countBy(responses, (r) => r.status)).toEqual({ 201: 1, 200: 63 });
      const created = responses.find((r) => r.status === 201)!;
      for (const r of responses) expect(r.body).toEqual(created.body);
      expect(
        await t.sessions.countDocuments({
          sessionId: body.sessionId,
        }),
      ).toBe(1);
    }
  });

  it('64 identical appends: one 201, 63 x 200 with the same seq, one stored event', async () => {
    const sessionId = await createSession(t.http);
    const body = eventBody();
    const responses = await concurrently(64, () =>
      t.http.post(`/sessions/${sessionId}/events`).send(body),
    );

    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 1, 200: 63 });
    for (const r of responses)
      expect(r.body).toMatchObject({ eventId: body.eventId, seq: 1 });
    const doc = await t.sessions.findOne({ sessionId }).lean();
    expect(doc!.eventCount).toBe(1);
    expect(doc!.events).toHaveLength(1);
  });

  it('100 distinct appends: 100 x 201, seq 1..100 each once, all readable back', async () => {
    const sessionId = await createSession(t.http);
    const bodies = Array.from({ length: 100 }, (_, i) =>
      eventBody({ payload: { i } }),
    );
    const responses = await concurrently(100, (i) =>
      t.http.post(`/sessions/${sessionId}/events`).send(bodies[i]),
    );

    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 100 });
    const seqs = responses
      .map((r) => r.body.seq as number)
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    const page = await t.http
      .get(`/sessions/${sessionId}/events?limit=1000`)
      .expect(200);
    expect(page.body.events).toHaveLength(100);
    for (const r of responses) {
      // Each acknowledged event is stored at exactly the seq it was given.
      expect(page.body.events[r.body.seq - 1]).toEqual(r.body);
    }
    expect((await t.sessions.findOne({ sessionId }).lean())!.eventCount).toBe(
      100,
    );
  });

  it('mixed replays and new events racing on one session keep seq gapless and ids unique', async () => {
    const sessionId = await createSession(t.http);
    const bodies = Array.from({ length: 20 }, () => eventBody());
    // Each event is sent three times, all 60 requests at once.
    const responses = await concurrently(60, (i) =>
      t.http.post(`/sessions/${sessionId}/events`).send(bodies[i % 20]),
    );

    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 20, 200: 40 });
    const doc = await t.sessions.findOne({ sessionId }).lean();
    expect(doc!.eventCount).toBe(20);
    expect(new Set(doc!.events.map((e) => e.eventId)).size).toBe(20);
    for (const r of responses) {
      expect(doc!.events[r.body.seq - 1].eventId).toBe(r.body.eventId);
    }
  });

  it('32 concurrent completes: all 200 with one endedAt', async () => {
    const sessionId = await createSession(t.http);
    const responses = await concurrently(32, (i) =>
      t.http.post(`/sessions/${sessionId}/complete`).send({
        endedAt: new Date(
          Date.parse('2026-11-25T11:00:00Z') + i * 1000,
        ).toISOString(),
      }),
    );

    expect(countBy(responses, (r) => r.status)).toEqual({ 200: 32 });
    const endedAts = new Set(responses.map((r) => r.body.endedAt as string));
    expect(endedAts.size).toBe(1);
    const doc = await t.sessions.findOne({ sessionId }).lean();
    expect(doc!.status).toBe('completed');
    expect(doc!.endedAt!.toISOString()).toBe([...endedAts][0]);
  });

  it('racing complete and fail: one wins, the loser gets 409, the stored state is the winner', async () => {
    const sessionId = await createSession(t.http);
    const responses = await concurrently(32, (i) =>
      t.http
        .post(`/sessions/${sessionId}/${i % 2 ? 'complete' : 'fail'}`)
        .send({}),
    );
    const doc = await t.sessions.findOne({ sessionId }).lean();
    const winner = doc!.status === 'completed' ? 'complete' : 'fail';

    responses.forEach((r, i) => {
      const action = i % 2 ? 'complete' : 'fail';
      expect(r.status).toBe(action === winner ? 200 : 409);
    });
  });
});
