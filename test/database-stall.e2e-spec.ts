import { createSession, eventBody } from './support/fixtures';
import { OPERATION_TIMEOUT_MS, useAppBehindProxy } from './support/faults';
import {
  describeRun,
  runFaultUnderLoad,
  expectBoundedAndIntact,
} from './support/writers';

const STALL_MS = 6000;
const RECOVERY_MS = 5000;

/**
 * A database that stops answering without closing anything (a frozen server,
 * a silent network partition), under load: eight clients appending and two
 * creating, each retrying until acknowledged.
 */
describe('A stalled database, under load', () => {
  const { db, t } = useAppBehindProxy();

  it('answers every request within the bound, only 503 while stalled, recovers within 5 s, loses nothing', async () => {
    let probesMs = Infinity;
    const run = await runFaultUnderLoad(
      t,
      {
        start: () => db.stall(),
        end: () => db.restore(),
        ms: STALL_MS,
        recoveryMs: RECOVERY_MS,
      },
      async () => {
        // Probes during the stall: alive, not ready, within the bound.
        const start = Date.now();
        await t.http.get('/health/live').expect(200);
        await t.http.get('/health/ready').expect(503);
        probesMs = Date.now() - start;
      },
    );
    console.log(describeRun(`black hole for ${STALL_MS} ms`, run));

    expect(probesMs).toBeLessThan(OPERATION_TIMEOUT_MS);
    await expectBoundedAndIntact(t, run, {
      boundMs: OPERATION_TIMEOUT_MS,
      recoveryMs: RECOVERY_MS,
    });
    expect(run.writers.acknowledgedEvents.size).toBeGreaterThan(0);
  });

  it('says in the 503 that retrying a write is safe, with Retry-After', async () => {
    const sessionId = await createSession(t.http);
    db.stall();
    try {
      const res = await t.http
        .post(`/sessions/${sessionId}/events`)
        .send(eventBody())
        .expect(503);
      expect(res.headers['content-type']).toMatch(
        /^application\/problem\+json/,
      );
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.body.detail).toMatch(/retrying it unchanged is safe/);
      expect(res.body.detail).toMatch(/idempotent/);
    } finally {
      db.restore();
    }
  });
});
