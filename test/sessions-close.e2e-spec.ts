import { useTestApp } from './support/app';
import { createSession } from './support/fixtures';

/** Completing and failing sessions: terminal states, repeats, and the transitions refused. */
describe('Sessions API', () => {
  const t = useTestApp();
  const stored = (sessionId: string) =>
    t.sessions.findOne({ sessionId }).lean();

  describe('POST /sessions/:id/complete and /fail', () => {
    it('completes with the given endedAt; repeats answer the stored endedAt', async () => {
      const sessionId = await createSession(t.http);
      const endedAt = '2026-11-25T10:30:00.000Z';
      const res = await t.http
        .post(`/sessions/${sessionId}/complete`)
        .send({ endedAt })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'completed', endedAt });

      const again = await t.http
        .post(`/sessions/${sessionId}/complete`)
        .send({ endedAt: '2026-11-25T10:45:00.000Z' })
        .expect(200);
      expect(again.body).toEqual(res.body);
      expect((await stored(sessionId))!.endedAt!.toISOString()).toBe(endedAt);
    });

    it('completes without a body, endedAt defaulting to now', async () => {
      const sessionId = await createSession(t.http, {
        startedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      const res = await t.http
        .post(`/sessions/${sessionId}/complete`)
        .expect(200);
      expect(Math.abs(Date.parse(res.body.endedAt) - Date.now())).toBeLessThan(
        5000,
      );
    });

    it('refuses an endedAt before startedAt with 409, leaving the session open', async () => {
      const sessionId = await createSession(t.http);
      const res = await t.http
        .post(`/sessions/${sessionId}/complete`)
        .send({ endedAt: '2026-11-25T09:59:59.999Z' })
        .expect(409);
      expect(res.body.code).toBe('ENDED_BEFORE_STARTED');
      expect((await stored(sessionId))!.status).toBe('initiated');
    });

    it('fails with a reason; repeats answer unchanged; completing it is 409 INVALID_TRANSITION', async () => {
      const sessionId = await createSession(t.http);
      const res = await t.http
        .post(`/sessions/${sessionId}/fail`)
        .send({ reason: 'caller hung up' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'failed',
        failureReason: 'caller hung up',
      });
      expect(res.body.endedAt).toEqual(expect.any(String));

      const again = await t.http
        .post(`/sessions/${sessionId}/fail`)
        .send({ reason: 'other' })
        .expect(200);
      expect(again.body).toEqual(res.body);
      const complete = await t.http
        .post(`/sessions/${sessionId}/complete`)
        .expect(409);
      expect(complete.body.code).toBe('INVALID_TRANSITION');
      expect(await stored(sessionId)).toMatchObject({
        status: 'failed',
        failureReason: 'caller hung up',
      });
    });

    it('answers 409 INVALID_TRANSITION when failing a completed session', async () => {
      const sessionId = await createSession(t.http);
      await t.http.post(`/sessions/${sessionId}/complete`).expect(200);
      const res = await t.http.post(`/sessions/${sessionId}/fail`).expect(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect((await stored(sessionId))!.status).toBe('completed');
    });

    it('answers 404 for an unknown session', async () => {
      await t.http.post('/sessions/nope/complete').expect(404);
      await t.http.post('/sessions/nope/fail').expect(404);
    });
  });
});
