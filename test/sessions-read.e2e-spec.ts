import { useTestApp } from './support/app';
import {
  type AppendEventBody,
  createSession,
  eventBody,
  seedSession,
  uniqueId,
} from './support/fixtures';

/** Reading sessions and events back: pages, cursors, filters, and 404s. */
describe('Sessions API', () => {
  const t = useTestApp();

  describe('GET /sessions/:id and its events', () => {
    let sessionId: string;
    let bodies: AppendEventBody[];

    beforeAll(async () => {
      ({ sessionId, events: bodies } = await seedSession(t.http, {
        events: Array.from({ length: 7 }, (_, i) =>
          eventBody({ payload: { i } }),
        ),
      }));
    });

    it('returns the session with its first page of events', async () => {
      const res = await t.http
        .get(`/sessions/${sessionId}?limit=3`)
        .expect(200);
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
          await t.http
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
      const all = await t.http.get(`/sessions/${sessionId}/events`).expect(200);
      expect(all.body.events).toHaveLength(7);
      expect(all.body.nextAfter).toBeNull();
      const past = await t.http
        .get(`/sessions/${sessionId}/events?after=7`)
        .expect(200);
      expect(past.body).toEqual({ events: [], nextAfter: null });
    });

    it('returns one event by id with its seq, or 404 EVENT_NOT_FOUND', async () => {
      const res = await t.http
        .get(`/sessions/${sessionId}/events/${bodies[4].eventId}`)
        .expect(200);
      expect(res.body).toMatchObject({
        seq: 5,
        eventId: bodies[4].eventId,
        payload: { i: 4 },
      });
      const missing = await t.http
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
        const res = await t.http.get(path).expect(404);
        expect(res.body).toMatchObject({
          code: 'SESSION_NOT_FOUND',
          instance: path,
        });
      }
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
          await createSession(t.http, {
            sessionId: `list-${i}-${uniqueId('x')}`,
            startedAt,
          }),
        );
      }
      await t.http.post(`/sessions/${ids[1]}/complete`).expect(200);
    });

    it('lists newest startedAt first, ties by sessionId, across pages by cursor, without events', async () => {
      const listed: { sessionId: string; startedAt: string }[] = [];
      let cursor: string | null = null;
      do {
        const res: {
          body: { sessions: typeof listed; nextCursor: string | null };
        } = await t.http
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
      const res = await t.http
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
});
