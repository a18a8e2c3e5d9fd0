import { createTestApp, type TestAgent, type TestApp } from './support/app';
import { createSession, eventBody } from './support/fixtures';

describe('Batch append limits (MAX_EVENTS_PER_SESSION=20, 1 MiB payloads)', () => {
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({
      MAX_EVENTS_PER_SESSION: 20,
      MAX_EVENT_PAYLOAD_BYTES: 1024 * 1024,
      MAX_BODY_BYTES: 2 * 1024 * 1024,
    });
    http = t.http;
  });
  afterAll(() => t.close());

  const batch = (sessionId: string, events: unknown[]) =>
    http.post(`/sessions/${sessionId}/events/batch`).send({ events });
  const stored = (sessionId: string) =>
    t.sessions.findOne({ sessionId }).lean().exec();

  it('answers 409 SESSION_FULL past the event cap, saying how many fit, and stores nothing', async () => {
    const sessionId = await createSession(http);
    const first = Array.from({ length: 15 }, () => eventBody());
    await batch(sessionId, first).expect(201);
    const before = await stored(sessionId);

    const more = Array.from({ length: 10 }, () => eventBody());
    const res = await batch(sessionId, [first[0], ...more]).expect(409);

    expect(res.body.code).toBe('SESSION_FULL');
    expect(res.body.detail).toMatch(/room for 5 of the batch's 10 new events/);
    expect(await stored(sessionId)).toEqual(before);

    // What fits goes in; then the session is full, and replays still answer.
    await batch(sessionId, more.slice(0, 5)).expect(201);
    const replay = await batch(sessionId, [...first, ...more.slice(0, 5)]);
    expect(replay.status).toBe(200);
    expect(replay.body.events).toHaveLength(20);
    await batch(sessionId, more.slice(5, 6)).expect(409);
    expect((await stored(sessionId))!.eventCount).toBe(20);
  });

  it('answers 409 SESSION_FULL before the document would pass 16 MB, and stores nothing', async () => {
    const sessionId = await createSession(http);
    const big = (n: number) => eventBody({ payload: { big: 'x'.repeat(n) } });
    for (let i = 0; i < 15; i++) {
      await http
        .post(`/sessions/${sessionId}/events`)
        .send(big(1000 * 1024))
        .expect(201);
    }
    const before = await stored(sessionId);

    const res = await batch(sessionId, [big(900 * 1024), big(900 * 1024)]);

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SESSION_FULL');
    expect(res.body.detail).toMatch(/room for 1 of the batch's 2 new events/);
    expect(await stored(sessionId)).toEqual(before);
    await batch(sessionId, [big(900 * 1024)]).expect(201);
  });
});
