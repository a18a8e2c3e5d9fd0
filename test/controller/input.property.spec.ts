import fc from 'fast-check';
import { expectProblemDocument } from '../support/bad-input';
import { serviceCalls, useControllerHarness } from '../support/controller';
import { fuzzRequest, sendRequest } from '../support/input-requests';
import { propertyParameters, RequestCounter } from '../support/property';

/**
 * The arbitrary requests of test/input.property.e2e-spec.ts, sent to the
 * controller harness: the middleware, pipe and filter alone decide. Never a
 * 5xx, every 4xx a problem document, and the service is called exactly when
 * a request gets through (a 4xx never reaches it).
 */

const RUNS = 1000;

describe('Property: arbitrary input reaches the service only when valid', () => {
  const h = useControllerHarness();

  it('no 5xx; every 4xx is a problem and never reached the service; every 2xx called it once', async () => {
    const counter = new RequestCounter('arbitrary input, controller');

    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        for (const mock of Object.values(h.service) as jest.Mock[])
          mock.mockClear();
        const res = await sendRequest(h.http, req);
        counter.add(res);

        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expectProblemDocument(res);
          expect(serviceCalls(h.service)).toEqual([]);
        } else {
          expect(serviceCalls(h.service)).toHaveLength(1);
        }
      }),
      propertyParameters('arbitrary input, controller', RUNS),
    );
    counter.report();
  }, 120_000);
});
