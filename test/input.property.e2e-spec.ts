import fc from 'fast-check';
import { useTestApp } from './support/app';
import { expectProblemDocument } from './support/bad-input';
import { eventBody, seedSession } from './support/fixtures';
import {
  fuzzRequest,
  POOL,
  POOL_EVENTS,
  sendRequest,
} from './support/input-requests';
import {
  PROPERTY_CONFIG,
  propertyParameters,
  RequestCounter,
} from './support/property';

/**
 * Arbitrary requests on every route (support/input-requests.ts), through the
 * whole app and on stored sessions. Whatever arrives: never a 5xx, every 4xx
 * is a problem document, and a rejected request leaves the database exactly
 * as it was. test/controller/input.property.spec.ts sends the same requests
 * to the controller alone and checks that a rejected one never reaches the
 * service.
 */

const RUNS = 1500;

describe('Property: arbitrary input never breaks the service', () => {
  const t = useTestApp(PROPERTY_CONFIG);

  beforeAll(async () => {
    // One session per state; all but the first hold three events.
    for (const [i, sessionId] of POOL.entries()) {
      await seedSession(t.http, {
        session: { sessionId, language: 'en' },
        events:
          i === 0
            ? []
            : POOL_EVENTS.map((eventId) =>
                eventBody({
                  eventId,
                  type: 'system',
                  payload: { eventId },
                  timestamp: '2026-11-25T10:00:00Z',
                }),
              ),
      });
    }
    await t.http.post('/sessions/fz-completed/complete').expect(200);
    await t.http.post('/sessions/fz-failed/fail').expect(200);
  });

  /** Everything stored, in a stable order: what a rejected request must not change. */
  const snapshot = () =>
    t.sessions.find({}).sort({ sessionId: 1 }).lean().exec();

  it('no 5xx; every 4xx is application/problem+json; a rejected request changes nothing', async () => {
    const counter = new RequestCounter('arbitrary input');
    let before = await snapshot();

    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        const res = await sendRequest(t.http, req);
        counter.add(res);

        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expectProblemDocument(res);
          expect(await snapshot()).toEqual(before);
        } else {
          // Accepted (a valid body slipped through): what it wrote is the new baseline.
          before = await snapshot();
        }
      }),
      propertyParameters('arbitrary input', RUNS),
    );
    counter.report();
  }, 180_000);
});
