import { proxy } from './support/outage-env';
import {
  createTestAppUnready,
  type TestAgent,
  type TestApp,
} from './support/app';
import { createSession, eventBody, sessionBody } from './support/fixtures';
import { TcpProxy } from './support/tcp-proxy';

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
  const db = new TcpProxy(proxy.port, proxy.target);
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    // The database is down when the service starts.
    t = await createTestAppUnready();
    http = t.http;
  });
  afterAll(async () => {
    await db.start().catch(() => undefined);
    await t.close();
    await db.stop();
  });

  it('starts while the database is down: live 200, ready 503, data routes 503 fast', async () => {
    await http.get('/health/live').expect(200);
    const ready = await http.get('/health/ready').expect(503);
    expect(ready.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    expect(ready.body.code).toBe('DATABASE_UNAVAILABLE');

    const start = Date.now();
    const res = await http.post('/sessions').send(sessionBody()).expect(503);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('becomes ready by itself when the database appears, with its indexes', async () => {
    await db.start();
    await within(
      5000,
      async () => (await http.get('/health/ready')).status === 200,
    );
    const indexes = await t.sessions.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { sessionId: 1 }, unique: true }),
      ]),
    );
    await createSession(http);
  });

  it('answers 503 within 2 s while the database is gone, and recovers within 5 s of its return', async () => {
    const sessionId = await createSession(http);
    await db.stop();

    for (const send of [
      () => http.get(`/sessions/${sessionId}`),
      () => http.post(`/sessions/${sessionId}/events`).send(eventBody()),
      () => http.post('/sessions').send(sessionBody()),
    ]) {
      const start = Date.now();
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(Date.now() - start).toBeLessThan(2000);
    }
    await http.get('/health/live').expect(200);
    await http.get('/health/ready').expect(503);

    await db.start();
    await within(
      5000,
      async () => (await http.get(`/sessions/${sessionId}`)).status === 200,
    );
    await http.get('/health/ready').expect(200);
  });
});
