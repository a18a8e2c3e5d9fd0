import { createTestApp, type TestApp } from './support/app';
import { createSession } from './support/fixtures';
import { appendSeries, RawStream } from './support/sse';
import { faultProxy } from './support/faults';
import { STREAM_TEST_SETTINGS } from './support/streams';
import { TcpProxy } from './support/tcp-proxy';

// Two streams per instance, and the database behind a proxy that the stall
// test can cut.
const { proxy, settings } = faultProxy({
  ...STREAM_TEST_SETTINGS,
  MAX_STREAMS: 2,
  STREAM_STALL_TIMEOUT_MS: 1000,
});

/** MAX_STREAMS, metrics, shutdown and a failing database, with MAX_STREAMS=2. */
describe('Event stream limits', () => {
  const database = new TcpProxy(proxy.port, proxy.target);
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    await database.start();
    t = await createTestApp(settings);
    url = await t.app.getUrl();
  });
  afterAll(async () => {
    await database.start().catch(() => undefined);
    await t.close();
    await database.stop();
  });

  const metric = async (name: string): Promise<number> => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('refuses a stream beyond MAX_STREAMS with 503 and Retry-After, and admits one again once a stream closes', async () => {
    const sessionId = await createSession(t.http);
    const a = await RawStream.open(url, `/sessions/${sessionId}/stream`);
    const b = await RawStream.open(url, `/sessions/${sessionId}/stream`);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await metric('conversation_streams_open')).toBe(2);

    const refused = await RawStream.open(url, `/sessions/${sessionId}/stream`);
    expect(refused.status).toBe(503);
    expect(refused.stream.response.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body!)).toMatchObject({
      code: 'TOO_MANY_STREAMS',
    });

    a.stream.drop();
    for (
      let i = 0;
      i < 50 && (await metric('conversation_streams_open')) > 1;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const admitted = await RawStream.open(url, `/sessions/${sessionId}/stream`);
    expect(admitted.status).toBe(200);
    b.stream.drop();
    admitted.stream.drop();
  });

  it('polls a session once per interval for all its streams, and stops when none listens', async () => {
    const sessionId = await createSession(t.http);
    const streams = await Promise.all(
      [1, 2].map(() => RawStream.open(url, `/sessions/${sessionId}/stream`)),
    );
    const polls = () => metric('conversation_stream_reads_total{kind="poll"}');
    const before = await polls();
    await new Promise((r) => setTimeout(r, 1000));
    const during = (await polls()) - before;
    // 50 ms interval: about 20 polls in a second for the session, not 40.
    expect(during).toBeGreaterThanOrEqual(8);
    expect(during).toBeLessThanOrEqual(24);

    const delivered = await metric(
      'conversation_stream_events_delivered_total',
    );
    await appendSeries(
      (body) =>
        t.http.post(`/sessions/${sessionId}/events`).send(body).expect(201),
      3,
    );
    for (const { stream } of streams)
      await stream.until(() => stream.events.length === 3);
    expect(await metric('conversation_stream_events_delivered_total')).toBe(
      delivered + 6,
    );

    for (const { stream } of streams) stream.drop();
    await new Promise((r) => setTimeout(r, 200));
    const idle = await polls();
    await new Promise((r) => setTimeout(r, 500));
    expect(await polls()).toBe(idle);
  });

  it('ends its streams when the database stops answering, so that clients resume elsewhere', async () => {
    const sessionId = await createSession(t.http);
    const { stream } = await RawStream.open(
      url,
      `/sessions/${sessionId}/stream`,
    );
    await database.stop();
    const started = Date.now();
    await stream.untilEnded(5000);
    // STREAM_STALL_TIMEOUT_MS is 1 s here; no `end`: the session did not end.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(stream.messages.filter((m) => m.event === 'end')).toEqual([]);
    await database.start();
  });

  it('ends every stream on shutdown, and the server closes', async () => {
    const other = await createTestApp(settings);
    const otherUrl = await other.app.getUrl();
    const sessionId = await createSession(other.http);
    const streams = await Promise.all(
      [1, 2].map(() =>
        RawStream.open(otherUrl, `/sessions/${sessionId}/stream`),
      ),
    );
    const started = Date.now();
    await other.app.close();
    for (const { stream } of streams) await stream.untilEnded(2000);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
