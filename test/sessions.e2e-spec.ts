import { createTestApp, type TestAgent, type TestApp } from './support/app';
import {
  createSession,
  eventBody,
  sessionBody,
  uniqueId,
} from './support/fixtures';

describe('Sessions API', () => {
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
  });
  afterAll(() => t.close());

  const stored = (sessionId: string) =>
    t.sessions.findOne({ sessionId }).lean();

  describe('POST /sessions', () => {
    it('creates a session: 201, Location, the representation, one stored document', async () => {
      const body = sessionBody();
      const res = await http.post('/sessions').send(body).expect(201);

      expect(res.headers.location).toBe(
        `/sessions/${body.sessionId as string}`,
      );
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      expect(res.body).toEqual({
        sessionId: body.sessionId,
        status: 'initiated',
        language: 'en-US',
        metadata: body.metadata,
        startedAt: body.startedAt,
        endedAt: null,
        eventCount: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const doc = await stored(body.sessionId as string);
      expect(doc).toMatchObject({
        status: 'initiated',
        eventCount: 0,
        events: [],
      });
      expect(doc!.startedAt.toISOString()).toBe(body.startedAt);
    });

    it('defaults metadata to {} and startedAt to now', async () => {
      const before = Date.now();
      const res = await http
        .post('/sessions')
        .send({ sessionId: uniqueId('s'), language: 'en' })
        .expect(201);
      expect(res.body.metadata).toEqual({});
      expect(Date.parse(res.body.startedAt)).toBeGreaterThanOrEqual(
        before - 1000,
      );
      expect(Date.parse(res.body.startedAt)).toBeLessThanOrEqual(
        Date.now() + 1000,
      );
    });

    it('replays an identical create: 200, Idempotent-Replayed, the stored session unchanged', async () => {
      const body = sessionBody();
      const first = await http.post('/sessions').send(body).expect(201);
      // Same instant written differently, metadata keys in another order.
      const again = {
        ...body,
        startedAt: '2026-11-25T11:00:00+01:00',
        metadata: { tags: ['a', 'b'], channel: 'phone' },
      };
      const res = await http.post('/sessions').send(again).expect(200);

      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body).toEqual(first.body);
    });

    it('replays a create that omits optional fields, whatever they are stored as', async () => {
      const body = sessionBody();
      await http.post('/sessions').send(body).expect(201);
      await http
        .post('/sessions')
        .send({ sessionId: body.sessionId, language: body.language })
        .expect(200);
    });

    it.each([
      ['language', { language: 'de' }],
      ['metadata', { metadata: { channel: 'web' } }],
      ['startedAt', { startedAt: '2026-11-25T10:00:00.001Z' }],
    ])(
      'answers 409 SESSION_CONFLICT when %s differs, and changes nothing',
      async (_, change) => {
        const body = sessionBody();
        await http.post('/sessions').send(body).expect(201);
        const before = await stored(body.sessionId as string);

        const res = await http
          .post('/sessions')
          .send({ ...body, ...change })
          .expect(409);

        expect(res.headers['content-type']).toMatch(
          /^application\/problem\+json/,
        );
        expect(res.body).toMatchObject({
          status: 409,
          code: 'SESSION_CONFLICT',
        });
        expect(await stored(body.sessionId as string)).toEqual(before);
      },
    );
  });

  describe('POST /sessions/:id/events', () => {
    it('appends: 201, Location, seq 1, and moves the session to active', async () => {
      const sessionId = await createSession(http);
      const body = eventBody();
      const res = await http
        .post(`/sessions/${sessionId}/events`)
        .send(body)
        .expect(201);

      expect(res.headers.location).toBe(
        `/sessions/${sessionId}/events/${body.eventId as string}`,
      );
      expect(res.body).toEqual({
        eventId: body.eventId,
        seq: 1,
        type: body.type,
        payload: body.payload,
        timestamp: body.timestamp,
        receivedAt: expect.any(String),
      });
      const doc = await stored(sessionId);
      expect(doc).toMatchObject({ status: 'active', eventCount: 1 });
      expect(doc!.events).toHaveLength(1);
      expect(doc!.events[0]).toMatchObject({
        eventId: body.eventId,
        payload: body.payload,
      });
      expect(doc!.events[0].receivedAt.toISOString()).toBe(res.body.receivedAt);
    });

    it('numbers events 1, 2, 3 in append order', async () => {
      const sessionId = await createSession(http);
      for (const seq of [1, 2, 3]) {
        const res = await http
          .post(`/sessions/${sessionId}/events`)
          .send(eventBody())
          .expect(201);
        expect(res.body.seq).toBe(seq);
      }
      expect((await stored(sessionId))!.eventCount).toBe(3);
    });

    it('replays an identical event with its original seq and receivedAt, storing nothing new', async () => {
      const sessionId = await createSession(http);
      const body = eventBody({
        payload: { a: 1, nested: { x: [1, 2], y: null } },
      });
      const first = await http
        .post(`/sessions/${sessionId}/events`)
        .send(body)
        .expect(201);
      await http
        .post(`/sessions/${sessionId}/events`)
        .send(eventBody())
        .expect(201);

      const res = await http
        .post(`/sessions/${sessionId}/events`)
        .send({
          ...body,
          payload: { nested: { y: null, x: [1, 2] }, a: 1 },
          timestamp: '2026-11-25T11:00:01+01:00',
        })
        .expect(200);

      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body).toEqual(first.body);
      expect((await stored(sessionId))!.eventCount).toBe(2);
    });

    it.each([
      ['type', { type: 'bot_speech' }],
      ['payload', { payload: { text: 'other' } }],
      ['timestamp', { timestamp: '2026-11-25T10:00:02.000Z' }],
    ])(
      'answers 409 EVENT_CONFLICT when %s differs, and changes nothing',
      async (_, change) => {
        const sessionId = await createSession(http);
        const body = eventBody();
        await http.post(`/sessions/${sessionId}/events`).send(body).expect(201);
        const before = await stored(sessionId);

        const res = await http
          .post(`/sessions/${sessionId}/events`)
          .send({ ...body, ...change })
          .expect(409);

        expect(res.body.code).toBe('EVENT_CONFLICT');
        expect(await stored(sessionId)).toEqual(before);
      },
    );

    it('answers 404 SESSION_NOT_FOUND for an unknown session and creates none', async () => {
      const sessionId = uniqueId('missing');
      const res = await http
        .post(`/sessions/${sessionId}/events`)
        .send(eventBody())
        .expect(404);
      expect(res.body.code).toBe('SESSION_NOT_FOUND');
      expect(await stored(sessionId)).toBeNull();
    });

    it.each(['complete', 'fail'])(
      'answers 409 SESSION_CLOSED after %s, but still replays stored events',
      async (action) => {
        const sessionId = await createSession(http);
        const body = eventBody();
        const first = await http
          .post(`/sessions/${sessionId}/events`)
          .send(body)
          .expect(201);
        await http
          .post(`/sessions/${sessionId}/${action}`)
          .send({})
          .expect(200);

        const res = await http
          .post(`/sessions/${sessionId}/events`)
          .send(eventBody())
          .expect(409);
        expect(res.body.code).toBe('SESSION_CLOSED');
        const replay = await http
          .post(`/sessions/${sessionId}/events`)
          .send(body)
          .expect(200);
        expect(replay.body).toEqual(first.body);
        expect((await stored(sessionId))!.eventCount).toBe(1);
      },
    );
  });

  describe('GET /sessions/:id and its events', () => {
    let sessionId: string;
    const bodies: Record<string, unknown>[] = [];

    beforeAll(async () => {
      sessionId = await createSession(http);
      for (let i = 0; i < 7; i++) {
        const body = eventBody({ payload: { i } });
        bodies.push(body);
        await http.post(`/sessions/${sessionId}/events`).send(body).expect(201);
      }
    });

    it('returns the session with its first page of events', async () => {
      const res = await http.get(`/sessions/${sessionId}?limit=3`).expect(200);
      expect(res.body).toMatchObject({
        sessionId,
        status: 'active',
        eventCount: 7,
        nextAfter: 3,
      });
      expect(res.body.events.map((e: { seq: number }) => e.seq)).toEqual([
        1, 2, 3,
      ]);
      expect(res.body).not.toHaveProperty('_id');
      expect(res.body).not.toHaveProperty('__v');
    });

    it('pages through events with after/limit until nextAfter is null', async () => {
      const seen: unknown[] = [];
      let after: number | null = 0;
      while (after !== null) {
        const res: { body: { events: unknown[]; nextAfter: number | null } } =
          await http
            .get(`/sessions/${sessionId}/events?after=${after}&limit=3`)
            .expect(200);
        seen.push(...res.body.events);
        after = res.body.nextAfter;
      }
      expect(seen).toHaveLength(7);
      seen.forEach((event, i) =>
        expect(event).toMatchObject({
          seq: i + 1,
          eventId: bodies[i].eventId,
          payload: { i },
        }),
      );
    });

    it('defaults to after=0, limit=50, and answers an empty page past the end', async () => {
      const all = await http.get(`/sessions/${sessionId}/events`).expect(200);
      expect(all.body.events).toHaveLength(7);
      expect(all.body.nextAfter).toBeNull();
      const past = await http
        .get(`/sessions/${sessionId}/events?after=7`)
        .expect(200);
      expect(past.body).toEqual({ events: [], nextAfter: null });
    });

    it('returns one event by id with its seq, or 404 EVENT_NOT_FOUND', async () => {
      const res = await http
        .get(`/sessions/${sessionId}/events/${bodies[4].eventId as string}`)
        .expect(200);
      expect(res.body).toMatchObject({
        seq: 5,
        eventId: bodies[4].eventId,
        payload: { i: 4 },
      });
      const missing = await http
        .get(`/sessions/${sessionId}/events/nope`)
        .expect(404);
      expect(missing.body.code).toBe('EVENT_NOT_FOUND');
    });

    it('answers 404 SESSION_NOT_FOUND for unknown sessions', async () => {
      for (const path of [
        '/sessions/nope',
        '/sessions/nope/events',
        '/sessions/nope/events/e1',
      ]) {
        const res = await http.get(path).expect(404);
        expect(res.body).toMatchObject({
          code: 'SESSION_NOT_FOUND',
          instance: path,
        });
      }
    });
  });

  describe('POST /sessions/:id/complete and /fail', () => {
    it('completes with the given endedAt; repeats answer the stored endedAt', async () => {
      const sessionId = await createSession(http);
      const endedAt = '2026-11-25T10:30:00.000Z';
      const res = await http
        .post(`/sessions/${sessionId}/complete`)
        .send({ endedAt })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'completed', endedAt });

      const again = await http
        .post(`/sessions/${sessionId}/complete`)
        .send({ endedAt: '2026-11-25T10:45:00.000Z' })
        .expect(200);
      expect(again.body).toEqual(res.body);
      expect((await stored(sessionId))!.endedAt!.toISOString()).toBe(endedAt);
    });

    it('completes without a body, endedAt defaulting to now', async () => {
      const sessionId = await createSession(http, {
        startedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      const res = await http
        .post(`/sessions/${sessionId}/complete`)
        .expect(200);
      expect(Math.abs(Date.parse(res.body.endedAt) - Date.now())).toBeLessThan(
        5000,
      );
    });

    it('refuses an endedAt before startedAt with 409, leaving the session open', async () => {
      const sessionId = await createSession(http);
      const res = await http
        .post(`/sessions/${sessionId}/complete`)
        .send({ endedAt: '2026-11-25T09:59:59.999Z' })
        .expect(409);
      expect(res.body.code).toBe('ENDED_BEFORE_STARTED');
      expect((await stored(sessionId))!.status).toBe('initiated');
    });

    it('fails with a reason; repeats answer unchanged; completing it is 409 INVALID_TRANSITION', async () => {
      const sessionId = await createSession(http);
      const res = await http
        .post(`/sessions/${sessionId}/fail`)
        .send({ reason: 'caller hung up' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'failed',
        failureReason: 'caller hung up',
      });
      expect(res.body.endedAt).toEqual(expect.any(String));

      const again = await http
        .post(`/sessions/${sessionId}/fail`)
        .send({ reason: 'other' })
        .expect(200);
      expect(again.body).toEqual(res.body);
      const complete = await http
        .post(`/sessions/${sessionId}/complete`)
        .expect(409);
      expect(complete.body.code).toBe('INVALID_TRANSITION');
      expect(await stored(sessionId)).toMatchObject({
        status: 'failed',
        failureReason: 'caller hung up',
      });
    });

    it('answers 409 INVALID_TRANSITION when failing a completed session', async () => {
      const sessionId = await createSession(http);
      await http.post(`/sessions/${sessionId}/complete`).expect(200);
      const res = await http.post(`/sessions/${sessionId}/fail`).expect(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect((await stored(sessionId))!.status).toBe('completed');
    });

    it('answers 404 for an unknown session', async () => {
      await http.post('/sessions/nope/complete').expect(404);
      await http.post('/sessions/nope/fail').expect(404);
    });
  });

  describe('GET /sessions', () => {
    const ids: string[] = [];

    beforeAll(async () => {
      // Five sessions on two distinct start times (ties are ordered by sessionId).
      for (let i = 0; i < 5; i++) {
        const startedAt =
          i < 3 ? '2030-01-01T00:00:02.000Z' : '2030-01-01T00:00:01.000Z';
        ids.push(
          await createSession(http, {
            sessionId: `list-${i}-${uniqueId('x')}`,
            startedAt,
          }),
        );
      }
      await http.post(`/sessions/${ids[1]}/complete`).expect(200);
    });

    it('lists newest startedAt first, ties by sessionId, across pages by cursor, without events', async () => {
      const listed: { sessionId: string; startedAt: string }[] = [];
      let cursor: string | null = null;
      do {
        const res: {
          body: { sessions: typeof listed; nextCursor: string | null };
        } = await http
          .get('/sessions')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(res.body.sessions.length).toBeLessThanOrEqual(2);
        listed.push(...res.body.sessions);
        cursor = res.body.nextCursor;
      } while (cursor && listed.length < 5);

      const expected = [...ids.slice(0, 3).sort(), ...ids.slice(3).sort()];
      expect(listed.slice(0, 5).map((s) => s.sessionId)).toEqual(expected);
      listed.forEach((s) => expect(s).not.toHaveProperty('events'));
    });

    it('filters by status', async () => {
      const res = await http
        .get('/sessions?status=completed&limit=1000')
        .expect(200);
      expect(
        res.body.sessions.map((s: { sessionId: string }) => s.sessionId),
      ).toContain(ids[1]);
      res.body.sessions.forEach((s: { status: string }) =>
        expect(s.status).toBe('completed'),
      );
    });
  });

  describe('health and docs', () => {
    it('answers liveness and readiness', async () => {
      await http.get('/health/live').expect(200);
      const res = await http.get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
    });

    it('serves an OpenAPI 3 document covering every route', async () => {
      const res = await http.get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(Object.keys(res.body.paths).sort()).toEqual([
        '/health/live',
        '/health/ready',
        '/sessions',
        '/sessions/{sessionId}',
        '/sessions/{sessionId}/complete',
        '/sessions/{sessionId}/events',
        '/sessions/{sessionId}/events/{eventId}',
        '/sessions/{sessionId}/fail',
        '/sessions/{sessionId}/stream',
      ]);
    });
  });
});
