import { useTestApp } from './support/app';

describe('Sessions API', () => {
  const t = useTestApp();

  describe('health and docs', () => {
    it('answers liveness and readiness', async () => {
      await t.http.get('/health/live').expect(200);
      const res = await t.http.get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
    });

    it('serves an OpenAPI 3 document covering every route', async () => {
      const res = await t.http.get('/docs-json').expect(200);
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
      ]);
    });
  });
});
