import { useTestApp } from './support/app';
import { FILE_DATABASE_URI } from './support/database';
import { createSession, eventBody, sessionBody } from './support/fixtures';
import { proxyFor, TcpProxy } from './support/tcp-proxy';

/** Polls until `check` passes or `ms` elapse; returns the elapsed time. */
async function within(
  ms: number,
  check: () => Promise<boolean>,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

describe('Database outages', () => {
  // The app reaches the database through a proxy, which is down when it starts.
  const proxy = proxyFor(FILE_DATABASE_URI);
  const db = new TcpProxy(proxy.port, proxy.target);
  // afterAll hooks run in the order they are declared: the database comes
  // back, the app closes (dropping its database), then the proxy stops.
  afterAll(() => db.start().catch(() => undefined));
  const t = useTestApp({ MONGODB_URI: proxy.uri }, { waitForDatabase: false });
  afterAll(() => db.stop());

  it('starts while the database is down: live 200, ready 503, data routes 503 fast', async () => {
    await t.http.get('/health/live').expect(200);
    const ready = await t.http.get('/health/ready').expect(503);
    expect(ready.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    expect(ready.body.code).toBe('DATABASE_UNAVAILABLE');

    const start = Date.now();
    const res = await t.http.post('/sessions').send(sessionBody()).expect(503);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('becomes ready by itself when the database appears, with its indexes', async () => {
    await db.start();
    await within(
      5000,
      async () => (await t.http.get('/health/ready')).status === 200,
    );
    const indexes = await t.sessions.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { sessionId: 1 }, unique: true }),
      ]),
    );
    await createSession(t.http);
  });

  it('answers 503 within 2 s while the database is gone, and recovers within 5 s of its return', async () => {
    const sessionId = await createSession(t.http);
    await db.stop();

    for (const send of [
      () => t.http.get(`/sessions/${sessionId}`),
      () => t.http.post(`/sessions/${sessionId}/events`).send(eventBody()),
      () => t.http.post('/sessions').send(sessionBody()),
    ]) {
      const start = Date.now();
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(Date.now() - start).toBeLessThan(2000);
    }
    await t.http.get('/health/live').expect(200);
    await t.http.get('/health/ready').expect(503);

    await db.start();
    await within(
      5000,
      async () => (await t.http.get(`/sessions/${sessionId}`)).status === 200,
    );
    await t.http.get('/health/ready').expect(200);
  });

  it('loses nothing it acknowledged when the database goes away under load and returns', async () => {
    const sessionId = await createSession(t.http);
    const acknowledged = new Map<string, number>();
    const statuses: number[] = [];
    let running = true;

    // Eight clients append (retrying what was not acknowledged) until stopped.
    const client = async (n: number) => {
      for (let i = 0; running; i++) {
        const body = eventBody({ eventId: `c${n}-e${i}` });
        for (let attempt = 0; running; attempt++) {
          const res = await t.http
            .post(`/sessions/${sessionId}/events`)
            .send(body);
          statuses.push(res.status);
          if (res.status === 201 || res.status === 200) {
            acknowledged.set(body.eventId, res.body.seq as number);
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));

    await new Promise((r) => setTimeout(r, 500));
    await db.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await db.start();
    await new Promise((r) => setTimeout(r, 2500));
    running = false;
    await Promise.all(clients);

    // Only successes and fast 503s: never a 500, never a hang.
    expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);

    const page = await t.http
      .get(`/sessions/${sessionId}/events?limit=1000`)
      .expect(200);
    const stored = new Map<string, number>(
      page.body.events.map((e: { eventId: string; seq: number }) => [
        e.eventId,
        e.seq,
      ]),
    );
    for (const [eventId, seq] of acknowledged)
      expect(stored.get(eventId)).toBe(seq);
    // seq stays gapless: 1..n with no duplicates.
    expect([...stored.values()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: stored.size }, (_, i) => i + 1),
    );
  });
});
