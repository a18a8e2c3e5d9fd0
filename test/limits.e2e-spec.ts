import './support/limits-env';
import { createTestApp, type TestAgent, type TestApp } from './support/app';
import {
  concurrently,
  countBy,
  createSession,
  eventBody,
} from './support/fixtures';

describe('Session limits (MAX_EVENTS_PER_SESSION=20, 1 MiB payloads)', () => {
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
  });
  afterAll(() => t.close());

  it('answers 409 SESSION_FULL at the event cap, even under a race, and still replays', async () => {
    const sessionId = await createSession(http);
    const bodies = Array.from({ length: 30 }, () => eventBody());
    const responses = await concurrently(30, (i) =>
      http.post(`/sessions/${sessionId}/events`).send(bodies[i]),
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
    const replay = await http
      .post(`/sessions/${sessionId}/events`)
      .send(bodies[responses.indexOf(stored)])
      .expect(200);
    expect(replay.body).toEqual(stored.body);
  });

  it('answers 409 SESSION_FULL before the document would pass 16 MB', async () => {
    const sessionId = await createSession(http);
    const big = 'x'.repeat(1000 * 1024);
    let seq = 0;
    let res;
    do {
      res = await http
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
    await http
      .post(`/sessions/${sessionId}/events`)
      .send(eventBody())
      .expect(201);
  });
});
