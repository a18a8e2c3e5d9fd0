import fc from 'fast-check';
import { useTestApp } from './support/app';
import { ConversationModel } from './support/model';
import { appendCommand } from './support/model-commands/append';
import { batchCommand } from './support/model-commands/batch';
import { completeCommand, failCommand } from './support/model-commands/close';
import { CreateCommand, createCommand } from './support/model-commands/create';
import { listCommand, readCommand } from './support/model-commands/read';
import { MODEL_MAX_EVENTS, type Real } from './support/model-runner';
import {
  commandsReplayPath,
  PROPERTY_CONFIG,
  propertyParameters,
  RequestCounter,
} from './support/property';

/**
 * Model-based test: random interleavings of create (new, replayed, equivalent,
 * conflicting), append (new, replayed, equivalent, conflicting, to a closed or
 * full session), batch appends of such events (duplicates included),
 * complete, fail and reads, on three sessions per run, against
 * the real service and a plain model of the contract (support/model.ts). Every
 * answer (status, code, body, seq, replay header) and the stored document
 * after every command must agree with the model. The commands are in
 * support/model-commands/, what they run with in support/model-runner.ts.
 */

const RUNS = 150;
const MAX_COMMANDS = 25;

describe('Property: the service behaves like the model of its contract', () => {
  const t = useTestApp({
    ...PROPERTY_CONFIG,
    MAX_EVENTS_PER_SESSION: MODEL_MAX_EVENTS,
  });

  it('random create / append / batch / complete / fail / read sequences agree with the model', async () => {
    const counter = new RequestCounter('model');
    let run = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.commands(
          [
            createCommand,
            createCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            appendCommand,
            batchCommand,
            batchCommand,
            completeCommand,
            failCommand,
            readCommand,
            readCommand,
            listCommand,
          ],
          {
            maxCommands: MAX_COMMANDS,
            size: 'max',
            replayPath: commandsReplayPath(),
          },
        ),
        async (commands) => {
          // One run at a time: the list reads see exactly this run's sessions.
          await t.sessions.deleteMany({});
          const real: Real = {
            t,
            counter,
            prefix: `r${run++}`,
            nextEventId: 1,
          };
          await fc.asyncModelRun(async () => {
            const model = new ConversationModel(MODEL_MAX_EVENTS);
            // Every run starts with one session, so that most commands get past 404.
            await new CreateCommand(0, 'fresh', { language: 'en' }, 0, 0).run(
              model,
              real,
            );
            return { model, real };
          }, commands);
        },
      ),
      propertyParameters('model', RUNS),
    );
    counter.report();
  }, 240_000);
});
