import {
  concurrently,
  countBy,
  createSession,
  eventBody,
} from './support/fixtures';
import { useAppBehindProxy } from './support/faults';
import { RawStream } from './support/sse';

const MAX_IN_FLIGHT = 4;

describe('Production defaults and load shedding', () => {
  const { db, t } = useAppBehindProxy({
    MAX_IN_FLIGHT_REQUESTS: MAX_IN_FLIGHT,
  });

  it('keeps idle connections open longer than a load balancer does, and waits longer still for headers', () => {
    const server = t.app.getHttpServer();
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.headersTimeout).toBe(66_000);
  });

  it('does not count open event streams as requests in flight', async () => {
    const sessionId = await createSession(t.http);
    const url = await t.app.getUrl();
    // Opened one after another: each counts only until it is established.
    const streams: Awaited<ReturnType<typeof RawStream.open>>[] = [];
    for (let i = 0; i < MAX_IN_FLIGHT * 2; i++) {
      streams.push(await RawStream.open(url, `/sessions/${sessionId}/stream`));
    }
    try {
      expect(streams.map((s) => s.status)).toEqual(
        Array(MAX_IN_FLIGHT * 2).fill(200),
      );
      const served = await concurrently(MAX_IN_FLIGHT, () =>
        t.http.post(`/sessions/${sessionId}/events`).send(eventBody()),
      );
      expect(served.map((r) => r.status)).toEqual(
        Array(MAX_IN_FLIGHT).fill(201),
      );
    } finally {
      for (const { stream } of streams) stream.drop();
    }
  });

  it(`serves at most ${MAX_IN_FLIGHT} requests at once while the database stalls: the rest get 503 SERVICE_OVERLOADED at once`, async () => {
    const sessionId = await createSession(t.http);
    db.stall();
    let statuses: {
      status: number;
      code: string;
      ms: number;
      retryAfter?: string;
    }[];
    try {
      statuses = await concurrently(12, async () => {
        const start = Date.now();
        const res = await t.http
          .post(`/sessions/${sessionId}/events`)
          .send(eventBody());
        return {
          status: res.status,
          code: res.body.code as string,
          ms: Date.now() - start,
          retryAfter: res.headers['retry-after'],
        };
      });
      // Probes are never shed.
      await t.http.get('/health/live').expect(200);
    } finally {
      db.restore();
    }

    expect(countBy(statuses, (s) => `${s.status} ${s.code}`)).toEqual({
      '503 DATABASE_UNAVAILABLE': MAX_IN_FLIGHT,
      '503 SERVICE_OVERLOADED': 12 - MAX_IN_FLIGHT,
    });
    for (const shed of statuses.filter(
      (s) => s.code === 'SERVICE_OVERLOADED',
    )) {
      expect(shed.retryAfter).toBe('1');
      expect(shed.ms).toBeLessThan(500);
    }

    // Every slot is given back: a full round of requests is served again.
    const after = await concurrently(MAX_IN_FLIGHT, () =>
      t.http.post(`/sessions/${sessionId}/events`).send(eventBody()),
    );
    expect(after.map((r) => r.status)).toEqual(Array(MAX_IN_FLIGHT).fill(201));
  });
});
