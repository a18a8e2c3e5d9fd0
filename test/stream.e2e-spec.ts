import { EventSource } from 'eventsource';
import { createTestApp, type TestApp } from './support/app';
import { createSession } from './support/fixtures';
import { appendSeries, RawStream } from './support/sse';
import { STREAM_TEST_SETTINGS } from './support/streams';
import { freePort, TcpProxy } from './support/tcp-proxy';

/**
 * GET /sessions/{id}/stream: catch-up, then live, exactly once and in seq
 * order, across instances and reconnects; `end` once the session is closed.
 */
describe('Event stream', () => {
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp(STREAM_TEST_SETTINGS);
    url = await t.app.getUrl();
  });
  afterAll(() => t.close());

  const append = (sessionId: string, count: number, prefix = 'ev', gapMs = 0) =>
    appendSeries(
      (body) =>
        t.http.post(`/sessions/${sessionId}/events`).send(body).expect(201),
      count,
      gapMs,
      prefix,
    );
  const seqs = (stream: RawStream) => stream.events.map((e) => e.seq);
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);

  describe('over raw HTTP', () => {
    it('answers 404 as a problem document before any stream starts', async () => {
      const { status, stream, body } = await RawStream.open(
        url,
        '/sessions/nope/stream',
      );
      expect(status).toBe(404);
      expect(stream.response.headers['content-type']).toMatch(
        /^application\/problem\+json/,
      );
      expect(JSON.parse(body!)).toMatchObject({ code: 'SESSION_NOT_FOUND' });
    });

    it('refuses a Last-Event-ID that is not a seq, and a bad after, with 400', async () => {
      const sessionId = await createSession(t.http);
      const bad = await RawStream.open(url, `/sessions/${sessionId}/stream`, {
        'last-event-id': 'abc',
      });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body!)).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      const badAfter = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream?after=-1`,
      );
      expect(badAfter.status).toBe(400);
    });

    it('sends the stored events, then new ones, with SSE headers, ids and heartbeats', async () => {
      const sessionId = await createSession(t.http);
      await append(sessionId, 3, 'old');
      const { status, stream } = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream`,
      );
      expect(status).toBe(200);
      expect(stream.response.headers).toMatchObject({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      await stream.until(() => stream.events.length === 3);
      expect(stream.retry).toBe(1000);
      expect(stream.messages[0]).toMatchObject({ id: '1', event: 'event' });
      expect(stream.events[0].data).toMatchObject({
        eventId: 'old-0',
        seq: 1,
        payload: { i: 0 },
      });

      await append(sessionId, 2, 'new');
      await stream.until(() => stream.events.length === 5);
      expect(seqs(stream)).toEqual([1, 2, 3, 4, 5]);
      expect(stream.events[4].data.eventId).toBe('new-1');
      await stream.until(() => stream.comments.length > 0, 2000);
      stream.drop();
    });

    it('answers HEAD with the stream headers and no stream', async () => {
      const sessionId = await createSession(t.http);
      const res = await t.http
        .head(`/sessions/${sessionId}/stream`)
        .expect(200);
      expect(res.headers['content-type']).toBe(
        'text/event-stream; charset=utf-8',
      );
    });

    it('starts after ?after=, and Last-Event-ID takes precedence over it', async () => {
      const sessionId = await createSession(t.http);
      await append(sessionId, 5);
      const fromAfter = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream?after=3`,
      );
      await fromAfter.stream.until(() => fromAfter.stream.events.length === 2);
      const fromHeader = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream?after=1`,
        {
          'last-event-id': '4',
        },
      );
      await fromHeader.stream.until(
        () => fromHeader.stream.events.length === 1,
      );
      expect(seqs(fromAfter.stream)).toEqual([4, 5]);
      expect(seqs(fromHeader.stream)).toEqual([5]);
      fromAfter.stream.drop();
      fromHeader.stream.drop();
    });

    it('sends end with the closed session once every event is out, then closes', async () => {
      const sessionId = await createSession(t.http);
      await append(sessionId, 2);
      const { stream } = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream`,
      );
      await stream.until(() => stream.events.length === 2);
      await append(sessionId, 1, 'last');
      await t.http.post(`/sessions/${sessionId}/complete`).send({}).expect(200);
      await stream.untilEnded();
      expect(seqs(stream)).toEqual([1, 2, 3]);
      const end = stream.messages.at(-1)!;
      expect(end.event).toBe('end');
      expect(JSON.parse(end.data)).toMatchObject({
        sessionId,
        status: 'completed',
        eventCount: 3,
      });
    });

    it('ends at once for a closed session whose events were all received', async () => {
      const sessionId = await createSession(t.http);
      await append(sessionId, 2);
      await t.http
        .post(`/sessions/${sessionId}/fail`)
        .send({ reason: 'x' })
        .expect(200);
      const { stream } = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream`,
        {
          'last-event-id': '2',
        },
      );
      await stream.untilEnded();
      expect(stream.messages.map((m) => m.event)).toEqual(['end']);
      expect(JSON.parse(stream.messages[0].data)).toMatchObject({
        status: 'failed',
      });
    });

    it('resumes with Last-Event-ID after a dropped connection, without gaps or duplicates, while appends go on', async () => {
      const sessionId = await createSession(t.http);
      const appending = append(sessionId, 60, 'ev', 5);
      const received: number[] = [];
      let lastId: string | undefined;
      for (let round = 0; round < 4; round++) {
        const headers: Record<string, string> = lastId
          ? { 'last-event-id': lastId }
          : {};
        const { stream } = await RawStream.open(
          url,
          `/sessions/${sessionId}/stream`,
          headers,
        );
        const want = received.length + 5;
        await stream.until(
          () => received.length + stream.events.length >= want,
        );
        stream.drop();
        received.push(...seqs(stream));
        lastId = stream.lastId;
      }
      await appending;
      await t.http.post(`/sessions/${sessionId}/complete`).send({}).expect(200);
      const { stream } = await RawStream.open(
        url,
        `/sessions/${sessionId}/stream`,
        {
          'last-event-id': lastId!,
        },
      );
      await stream.untilEnded();
      received.push(...seqs(stream));
      expect(received).toEqual(range(1, 60));
    });
  });

  describe('with the eventsource client', () => {
    it('catches up, follows live, and reconnects with Last-Event-ID after the connection drops', async () => {
      const sessionId = await createSession(t.http);
      await append(sessionId, 10, 'before');
      // Client -> proxy -> service: stopping the proxy cuts the connection.
      const proxy = new TcpProxy(
        freePort(),
        { host: '127.0.0.1', port: Number(new URL(url).port) },
        0,
        'bytes',
      );
      await proxy.start();
      const es = new EventSource(
        `http://127.0.0.1:${proxy.port}/sessions/${sessionId}/stream`,
      );
      const received: number[] = [];
      let opened = 0;
      es.onopen = () => opened++;
      es.addEventListener('event', (m) =>
        received.push(JSON.parse(m.data).seq as number),
      );
      const ended = new Promise<Record<string, unknown>>((resolve) =>
        es.addEventListener('end', (m) => {
          es.close();
          resolve(JSON.parse(m.data) as Record<string, unknown>);
        }),
      );
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 500 && !done(); i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(done()).toBe(true);
      };
      await until(() => received.length >= 10);
      const appending = append(sessionId, 40, 'live', 10);
      await until(() => received.length >= 20);
      await proxy.stop();
      await new Promise((r) => setTimeout(r, 200));
      await proxy.start();
      await appending;
      await t.http.post(`/sessions/${sessionId}/complete`).send({}).expect(200);
      const session = await ended;
      await proxy.stop();
      expect(opened).toBeGreaterThanOrEqual(2);
      expect(received).toEqual(range(1, 50));
      expect(session).toMatchObject({ status: 'completed', eventCount: 50 });
    });
  });

  describe('across instances', () => {
    it('delivers on one instance what another stores, then end', async () => {
      // A second app on the same database: this file's MONGODB_URI.
      const other = await createTestApp(STREAM_TEST_SETTINGS);
      try {
        const sessionId = await createSession(t.http);
        const es = new EventSource(
          `${await other.app.getUrl()}/sessions/${sessionId}/stream`,
        );
        const received: number[] = [];
        es.addEventListener('event', (m) =>
          received.push(JSON.parse(m.data).seq as number),
        );
        const ended = new Promise<void>((resolve) =>
          es.addEventListener('end', () => {
            es.close();
            resolve();
          }),
        );
        await new Promise<void>((resolve) => (es.onopen = () => resolve()));
        await append(sessionId, 20, 'a', 5);
        await t.http
          .post(`/sessions/${sessionId}/complete`)
          .send({})
          .expect(200);
        await ended;
        expect(received).toEqual(range(1, 20));
      } finally {
        await other.app.close();
      }
    });
  });
});
