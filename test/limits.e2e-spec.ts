import { useTestApp } from './support/app';
import {
  concurrently,
  countBy,
  createSession,
  eventBody,
} from './support/fixtures';

describe('Session limits (MAX_EVENTS_PER_SESSION=20, 1 MiB payloads)', () => {
  const t = useTestApp({
    MAX_EVENTS_PER_SESSION: 20,
    MAX_EVENT_PAYLOAD_BYTES: 1024 * 1024,
    MAX_BODY_BYTES: 2 * 1024 * 1024,
  });

  it('answers 409 SESSION_FULL at the event cap, even under a race, and still replays', async () => {
    const sessionId = await createSession(t.http);
    const bodies = Array.from({ length: 30 }, () => eventBody());
    const responses = await concurrently(30, (i) =>
      t.http.post(`/sessions/${sessionId}/events`).send(bodies[i]),
    );

    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 20, 409: 10 });
    responses
      .filter((r) => r.status === 409)
      .forEach((r) => expect(r.body.code).toBe('SESSION_FULL'));
    const doc = await t.sessions.findOne({ sessionId }).lean();
    expect(doc!.eventCount).toBe(20);
    expect(doc!.events).toHaveLength(20);
    expect(doc!.status).toBe('active');

    const stored = responses.find((r) => r.status === 201)!;
    const replay = await t.http
      .post(`/sessions/${sessionId}/events`)
      .send(bodies[responses.indexOf(stored)])
      .expect(200);
    expect(replay.body).toEqual(stored.body);
  });

  it('answers 409 SESSION_FULL before the document would pass 16 MB', async () => {
    const sessionId = await createSession(t.http);
    const big = 'x'.repeat(1000 * 1024);
    let seq = 0;
    let res;
    do {
      res = await t.http
        .post(`/sessions/${sessionId}/events`)
        .send(eventBody({ payload: { big } }));
      if (res.status === 201) seq = res.body.seq;
    } while (res.status === 201 && seq < 20);

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SESSION_FULL');
    expect(seq).toBeGreaterThanOrEqual(14);
    expect(seq).toBeLessThan(17);
    const doc = await t.sessions
      .findOne({ sessionId }, { eventCount: 1 })
      .lean();
    expect(doc!.eventCount).toBe(seq);
    // A small event still fits in what is left.
    await t.http
      .post(`/sessions/${sessionId}/events`)
      .send(eventBody())
      .expect(201);
  });
});
