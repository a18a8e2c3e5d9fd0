import { useTestApp } from './support/app';
import { sessionBody } from './support/fixtures';

describe('Security and observability (API_KEYS set, 40 requests/min)', () => {
  const t = useTestApp({
    API_KEYS: 'key-alpha, key-beta',
    RATE_LIMIT_MAX: 40,
    RATE_LIMIT_TTL_MS: 60_000,
  });

  describe('API keys', () => {
    it.each([
      ['no key', {}],
      ['a wrong bearer key', { Authorization: 'Bearer nope' }],
      ['a wrong X-API-Key', { 'X-API-Key': 'key-alph' }],
      ['a key with another scheme', { Authorization: 'Basic key-alpha' }],
    ])(
      'answers 401 UNAUTHORIZED problem+json with %s, storing nothing',
      async (_, headers) => {
        const body = sessionBody();
        const res = await t.http
          .post('/sessions')
          .set(headers)
          .send(body)
          .expect(401);
        expect(res.headers['content-type']).toMatch(
          /^application\/problem\+json/,
        );
        expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        expect(
          await t.sessions.countDocuments({
            sessionId: body.sessionId,
          }),
        ).toBe(0);
      },
    );

    it('accepts either configured key, as a bearer token or as X-API-Key', async () => {
      await t.http
        .post('/sessions')
        .set('Authorization', 'Bearer key-alpha')
        .send(sessionBody())
        .expect(201);
      await t.http
        .post('/sessions')
        .set('X-API-Key', 'key-beta')
        .send(sessionBody())
        .expect(201);
      await t.http
        .get('/sessions')
        .set('authorization', 'bearer key-beta')
        .expect(200);
    });

    it('guards the event stream like every other read', async () => {
      const res = await t.http.get('/sessions/any/stream').expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED' });
      await t.http
        .get('/sessions/any/stream')
        .set('X-API-Key', 'key-alpha')
        .expect(404);
    });

    it('leaves health, metrics and docs open', async () => {
      await t.http.get('/health/live').expect(200);
      await t.http.get('/health/ready').expect(200);
      await t.http.get('/metrics').expect(200);
      await t.http.get('/docs-json').expect(200);
    });
  });

  describe('metrics', () => {
    it('exposes request durations by route template and write outcomes', async () => {
      const body = sessionBody();
      const auth = { 'X-API-Key': 'key-alpha' };
      await t.http.post('/sessions').set(auth).send(body).expect(201);
      await t.http.post('/sessions').set(auth).send(body).expect(200);
      await t.http
        .post('/sessions')
        .set(auth)
        .send({ ...body, language: 'fr' })
        .expect(409);

      const res = await t.http.get('/metrics').expect(200);
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="POST",route="\/sessions",status="201"\} \d+/,
      );
      expect(res.text).toMatch(
        /conversation_sessions_total\{outcome="created"\} [1-9]/,
      );
      expect(res.text).toMatch(
        /conversation_sessions_total\{outcome="replayed"\} [1-9]/,
      );
      expect(res.text).toMatch(
        /conversation_sessions_total\{outcome="conflict"\} [1-9]/,
      );
      expect(res.text).toContain('conversation_database_errors_total');
      expect(res.text).not.toContain(body.sessionId);
    });
  });

  describe('rate limiting', () => {
    it('answers 429 RATE_LIMITED with Retry-After past the limit, but never on health', async () => {
      const auth = { 'X-API-Key': 'key-beta' };
      const statuses: number[] = [];
      const headers: Record<string, string>[] = [];
      const bodies: { code?: string }[] = [];
      for (let i = 0; i < 60 && !statuses.includes(429); i++) {
        const res = await t.http.get('/sessions?limit=1').set(auth);
        statuses.push(res.status);
        headers.push(res.headers);
        bodies.push(res.body as { code?: string });
      }
      const limited = statuses.indexOf(429);
      expect(limited).toBeGreaterThan(0);
      expect(headers[limited]['retry-after']).toMatch(/^\d+$/);
      expect(headers[limited]['content-type']).toMatch(
        /^application\/problem\+json/,
      );
      expect(bodies[limited].code).toBe('RATE_LIMITED');
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      await t.http.get('/health/ready').expect(200);
      await t.http.get('/metrics').expect(200);
    });

    it('limits opening event streams the same way, per key and route', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 60 && !statuses.includes(429); i++) {
        const res = await t.http
          .get('/sessions/unknown/stream')
          .set('X-API-Key', 'key-alpha');
        statuses.push(res.status);
      }
      expect(statuses.indexOf(429)).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 404 && s !== 429)).toEqual([]);
    });
  });

  describe('headers', () => {
    it('sets helmet headers and no CORS headers when CORS_ORIGINS is unset', async () => {
      const res = await t.http
        .get('/health/live')
        .set('Origin', 'https://example.org');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
