import { OPERATION_TIMEOUT_MS, useAppBehindProxy } from './support/faults';
import {
  describeRun,
  runFaultUnderLoad,
  expectBoundedAndIntact,
} from './support/writers';

const FAILURE_MS = 5000;
const RECOVERY_MS = 5000;

/** What FerretDB answers while its PostgreSQL is gone, then restarting. */
const backendError = (errmsg: string) => ({
  ok: 0,
  code: 1,
  codeName: 'InternalError',
  errmsg,
});

/**
 * The engine's storage backend killed under load and restarted: the engine
 * stays up and answers every command with an InternalError carrying
 * PostgreSQL's message. These are database failures (503), not bugs (500).
 */
describe("The engine's backend failing, under load", () => {
  const { db, t } = useAppBehindProxy();

  it('answers 503, not 500, while PostgreSQL is gone and while it restarts, and loses nothing', async () => {
    const run = await runFaultUnderLoad(
      t,
      {
        start: () =>
          db.answerWith(
            backendError(
              'terminating connection due to unexpected postmaster exit',
            ),
          ),
        end: () => db.restore(),
        ms: FAILURE_MS,
        recoveryMs: RECOVERY_MS,
      },
      async () => {
        db.answerWith(backendError('the database system is starting up'));
        await t.http.get('/health/live').expect(200);
        await t.http.get('/health/ready').expect(503);
      },
    );
    console.log(describeRun(`backend failing for ${FAILURE_MS} ms`, run));

    await expectBoundedAndIntact(t, run, {
      boundMs: OPERATION_TIMEOUT_MS,
      recoveryMs: RECOVERY_MS,
    });
  });
});
