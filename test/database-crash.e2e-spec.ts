import { OPERATION_TIMEOUT_MS, useAppBehindProxy } from './support/faults';
import {
  describeRun,
  runFaultUnderLoad,
  expectBoundedAndIntact,
} from './support/writers';

const FAILURE_MS = 5000;
const RECOVERY_MS = 5000;

/**
 * A database that fails mid-request, under load: requests reach it (so writes
 * may be applied) but every connection is reset as the reply comes back, the
 * way a crashing server or a backend killed under it looks to a client. The
 * clients cannot know whether a write was stored; retrying it must be exact.
 */
describe('A database failing mid-request, under load', () => {
  const { db, t } = useAppBehindProxy();

  it('answers only 503 within the bound while it fails, recovers within 5 s, stores each acknowledged write once', async () => {
    const run = await runFaultUnderLoad(t, {
      start: () => db.fail(),
      end: () => db.restore(),
      ms: FAILURE_MS,
      recoveryMs: RECOVERY_MS,
    });
    console.log(describeRun(`connections reset for ${FAILURE_MS} ms`, run));

    await expectBoundedAndIntact(t, run, {
      boundMs: OPERATION_TIMEOUT_MS,
      recoveryMs: RECOVERY_MS,
    });
  });
});
