import { useTestApp } from './support/app';
import {
  createSession,
  eventBody,
  sessionBody,
  uniqueId,
} from './support/fixtures';

/** Creates and appends: what each answers, and what is stored afterwards. */
describe('Sessions API', () => {
  const t = useTestApp();
  const stored = (sessionId: string) =>
    t.sessions.findOne({ sessionId }).lean();

  describe('POST /sessions', () => {
    it('creates a session: 201, Location, the representation, one stored document', async () => {
      const body = sessionBody();
      const res = await t.http.post('/sessions').send(body).expect(201);

      expect(res.headers.location).toBe(`/sessions/${body.sessionId}`);
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
      const doc = await stored(body.sessionId);
      expect(doc).toMatchObject({
        status: 'initiated',
        eventCount: 0,
        events: [],
      });
      expect(doc!.startedAt.toISOString()).toBe(body.startedAt);
    });

    it('defaults metadata to {} and startedAt to now', async () => {
      const before = Date.now();
      const res = await t.http
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
      const first = await t.http.post('/sessions').send(body).expect(201);
      // Same instant written differently, metadata keys in another order.
      const again = {
        ...body,
        startedAt: '2026-11-25T11:00:00+01:00',
        metadata: { tags: ['a', 'b'], channel: 'phone' },
      };
      const res = await t.http.post('/sessions').send(again).expect(200);

      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body).toEqual(first.body);
    });

    it('replays a create that omits optional fields, whatever they are stored as', async () => {
      const body = sessionBody();
      await t.http.post('/sessions').send(body).expect(201);
      await t.http
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
        await t.http.post('/sessions').send(body).expect(201);
        const before = await stored(body.sessionId);

        const res = await t.http
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
        expect(await stored(body.sessionId)).toEqual(before);
      },
    );
  });

  describe('POST /sessions/:id/events', () => {
    it('appends: 201, Location, seq 1, and moves the session to active', async () => {
      const sessionId = await createSession(t.http);
      const body = eventBody();
      const res = await t.http
        .post(`/sessions/${sessionId}/events`)
        .send(body)
        .expect(201);

      expect(res.headers.location).toBe(
        `/sessions/${sessionId}/events/${body.eventId}`,
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
      const sessionId = await createSession(t.http);
      for (const seq of [1, 2, 3]) {
        const res = await t.http
          .post(`/sessions/${sessionId}/events`)
          .send(eventBody())
          .expect(201);
        expect(res.body.seq).toBe(seq);
      }
      expect((await stored(sessionId))!.eventCount).toBe(3);
    });

    it('replays an identical event with its original seq and receivedAt, storing nothing new', async () => {
      const sessionId = await createSession(t.http);
      const body = eventBody({
        payload: { a: 1, nested: { x: [1, 2], y: null } },
      });
      const first = await t.http
        .post(`/sessions/${sessionId}/events`)
        .send(body)
        .expect(201);
      await t.http
        .post(`/sessions/${sessionId}/events`)
        .send(eventBody())
        .expect(201);

      const res = await t.http
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
        const sessionId = await createSession(t.http);
        const body = eventBody();
        await t.http
          .post(`/sessions/${sessionId}/events`)
          .send(body)
          .expect(201);
        const before = await stored(sessionId);

        const res = await t.http
          .post(`/sessions/${sessionId}/events`)
          .send({ ...body, ...change })
          .expect(409);

        expect(res.body.code).toBe('EVENT_CONFLICT');
        expect(await stored(sessionId)).toEqual(before);
      },
    );

    it('answers 404 SESSION_NOT_FOUND for an unknown session and creates none', async () => {
      const sessionId = uniqueId('missing');
      const res = await t.http
        .post(`/sessions/${sessionId}/events`)
        .send(eventBody())
        .expect(404);
      expect(res.body.code).toBe('SESSION_NOT_FOUND');
      expect(await stored(sessionId)).toBeNull();
    });

    it.each(['complete', 'fail'])(
      'answers 409 SESSION_CLOSED after %s, but still replays stored events',
      async (action) => {
        const sessionId = await createSession(t.http);
        const body = eventBody();
        const first = await t.http
          .post(`/sessions/${sessionId}/events`)
          .send(body)
          .expect(201);
        await t.http
          .post(`/sessions/${sessionId}/${action}`)
          .send({})
          .expect(200);

        const res = await t.http
          .post(`/sessions/${sessionId}/events`)
          .send(eventBody())
          .expect(409);
        expect(res.body.code).toBe('SESSION_CLOSED');
        const replay = await t.http
          .post(`/sessions/${sessionId}/events`)
          .send(body)
          .expect(200);
        expect(replay.body).toEqual(first.body);
        expect((await stored(sessionId))!.eventCount).toBe(1);
      },
    );
  });
});
