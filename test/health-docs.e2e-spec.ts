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
        '/metrics',
        '/sessions',
        '/sessions/{sessionId}',
        '/sessions/{sessionId}/complete',
        '/sessions/{sessionId}/events',
        '/sessions/{sessionId}/events/batch',
        '/sessions/{sessionId}/events/{eventId}',
        '/sessions/{sessionId}/fail',
        '/sessions/{sessionId}/stream',
      ]);
    });

    it('names every operation for generated clients', async () => {
      const res = await t.http.get('/docs-json').expect(200);
      const ids = Object.values(res.body.paths).flatMap((item) =>
        Object.values(item as object).map(
          (operation: { operationId: string }) => operation.operationId,
        ),
      );
      expect(ids.sort()).toEqual([
        'appendEvent',
        'appendEvents',
        'completeSession',
        'createSession',
        'failSession',
        'getEvent',
        'getEventNamedBatch',
        'getLiveness',
        'getMetrics',
        'getReadiness',
        'getSession',
        'listEvents',
        'listSessions',
        'streamEvents',
      ]);
    });
  });
});
