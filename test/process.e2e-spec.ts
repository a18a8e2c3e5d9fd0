import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import request from 'supertest';
import { spawnService, waitReady } from '../scripts/lib/process';
import { concurrently, eventBody, sessionBody } from './support/fixtures';
import { freePort, proxyFor, TcpProxy } from './support/tcp-proxy';

/**
 * The image's entrypoint, `node dist/main.js`, run as a real process with
 * production settings: start-up checks, request logs and graceful shutdown.
 */
const ROOT = join(__dirname, '..');
const KEY = 'process-test-key';

const startService = (env: Record<string, string>) =>
  spawnService({ LOG_LEVEL: 'info', ...env });

describe('The built service process', () => {
  // A free loopback port of its own for the service.
  const port = String(freePort());
  // The database is reached through a proxy that adds 250 ms, so that
  // requests are certainly in flight when SIGTERM arrives.
  const slow = proxyFor(process.env.MONGODB_URI!);
  const slowDb = new TcpProxy(slow.port, slow.target, 250);

  beforeAll(async () => {
    execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'ignore' });
    await slowDb.start();
  }, 120_000);
  afterAll(() => slowDb.stop());

  it('refuses to start in production without API_KEYS, naming the variable', async () => {
    const service = startService({
      PORT: port,
      API_KEYS: '',
      AUTH_DISABLED: 'false',
    });
    const [code] = (await once(service.child, 'close')) as [number];
    expect(code).not.toBe(0);
    expect(service.output()).toContain('API_KEYS');
  });

  it('refuses to start on an invalid setting, naming it', async () => {
    const service = startService({ PORT: 'not-a-port', API_KEYS: KEY });
    const [code] = (await once(service.child, 'close')) as [number];
    expect(code).not.toBe(0);
    expect(service.output()).toContain('PORT');
  });

  it('logs one JSON line per request without bodies or keys, and drains on SIGTERM', async () => {
    const service = startService({
      PORT: port,
      API_KEYS: KEY,
      MONGODB_URI: slow.uri,
    });
    try {
      await waitReady(service.url, { timeoutMs: 10_000, service });
      const http = request(service.url);
      const session = sessionBody({
        metadata: { secretMarker: 'metadata-must-not-be-logged' },
      });
      await http
        .post('/sessions')
        .set('Authorization', `Bearer ${KEY}`)
        .set('X-Request-Id', 'req-process-1')
        .send(session)
        .expect(201);

      // Open 40 pooled database connections first (each costs round trips).
      await concurrently(40, () =>
        http
          .get(`/sessions/${session.sessionId}/events?limit=1`)
          .set('Authorization', `Bearer ${KEY}`)
          .expect(200),
      );

      // Dozens of appends in flight when SIGTERM arrives: every one is answered.
      slowDb.recording = true;
      const inFlight = concurrently(40, () =>
        http
          .post(`/sessions/${session.sessionId}/events`)
          .set('Authorization', `Bearer ${KEY}`)
          .set('Connection', 'close')
          .send(eventBody({ payload: { text: 'payload-must-not-be-logged' } }))
          .then((r) => r.status),
      );
      // All 40 have reached the database, so the service holds all of them.
      inFlight.catch(() => undefined); // asserted below; never unhandled
      for (let i = 0; i < 150 && slowDb.sentCount('findAndModify') < 40; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(slowDb.sentCount('findAndModify')).toBe(40);
      const sent = Date.now();
      service.child.kill('SIGTERM');
      const statuses = await inFlight;
      const [code] = (await once(service.child, 'close')) as [number];

      expect(code).toBe(0);
      expect(service.output()).toContain(
        'Shutting down (SIGTERM): closing the database connection',
      );
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(statuses).toEqual(Array(40).fill(201));
      // And then it no longer accepts connections.
      await expect(http.get('/health/live')).rejects.toThrow(/ECONNREFUSED/);

      const raw = service
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      const lines = raw.map(
        (line) => JSON.parse(line) as { req?: { id?: string; url?: string } },
      );
      const created = lines.find((l) => l.req?.id === 'req-process-1');
      expect(created).toMatchObject({
        req: { method: 'POST', url: '/sessions', id: 'req-process-1' },
        res: { statusCode: 201 },
        route: '/sessions',
        responseTime: expect.any(Number),
      });
      // JSON.parse keeps the last of duplicate keys, so count them in the text:
      // every request line names its route template exactly once.
      const requestLines = raw.filter((line) =>
        line.includes('"responseTime":'),
      );
      expect(requestLines.length).toBeGreaterThan(80);
      for (const line of requestLines) {
        expect(line.match(/"route":/g)).toHaveLength(1);
      }
      const page = lines.find((l) => l.req?.url?.endsWith('/events?limit=1'));
      expect(page).toMatchObject({ route: '/sessions/:sessionId/events' });
      const text = service.output();
      expect(text).not.toContain('must-not-be-logged');
      expect(text).not.toContain(KEY);
    } finally {
      service.child.kill('SIGKILL');
    }
  });
});
