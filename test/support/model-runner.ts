import fc from 'fast-check';
import type { Response } from 'supertest';
import type { TestApp } from './app';
import type {
  ConversationModel,
  EventType,
  Expected,
  SessionStatus,
} from './model';
import type { RequestCounter } from './property';

/**
 * What the model-based test (test/model.property.e2e-spec.ts) runs its
 * commands with: the real app beside the model (support/model.ts), and the
 * checks every command makes of an answer and of what is stored. The
 * commands are in support/model-commands/.
 */

/** A small event cap, so that random sequences reach SESSION_FULL (and replays after it) often. */
export const MODEL_MAX_EVENTS = 4;
/** Sessions per run. */
export const SLOTS = 3;
/** Slack for times the server takes from its own clock. */
const CLOCK_SLACK_MS = 50;

export interface Real {
  t: TestApp;
  counter: RequestCounter;
  prefix: string;
  nextEventId: number;
}

export type Cmd = fc.AsyncCommand<ConversationModel, Real>;

export const sessionIdOf = (real: Real, slot: number) =>
  `${real.prefix}-s${slot}`;

/**
 * The session a command on `slot` addresses: mostly one that exists (the
 * slot's own, else the first created), so that sequences get past 404; with
 * `pick % 6 === 0`, the slot's own even when it does not exist.
 */
export function targetOf(
  model: ConversationModel,
  real: Real,
  slot: number,
  pick: number,
): string {
  const own = sessionIdOf(real, slot);
  if (model.get(own) || pick % 6 === 0) return own;
  return model.sessions.keys().next().value ?? own;
}

export const EVENT_TYPES: EventType[] = ['user_speech', 'bot_speech', 'system'];
export const STATUSES: SessionStatus[] = [
  'initiated',
  'active',
  'completed',
  'failed',
];

export const instant = fc.integer({
  min: Date.parse('2000-01-01T00:00:00Z'),
  max: Date.parse('2030-12-31T23:59:59Z'),
});
/** Offsets in minutes, as RFC 3339 allows them (and a few real ones). */
export const offset = fc.constantFrom(0, 60, -300, 330, 345, -720, 840, -59);

export function expectAnswer(res: Response, expected: Expected): void {
  const summary = `${res.status} ${JSON.stringify(res.body)}`;
  expect({ status: res.status, summary }).toEqual({
    status: expected.status,
    summary,
  });
  if ('code' in expected) {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: expected.status,
      code: expected.code,
    });
  }
}

/** Stored document of one session == the model; updatedAt moves only when the command changed it. */
export async function checkStored(
  model: ConversationModel,
  real: Real,
  sessionId: string,
  changed: boolean,
): Promise<void> {
  const doc = await real.t.sessions.findOne({ sessionId }).lean().exec();
  const session = model.get(sessionId);
  if (!session) {
    expect(doc).toBeNull();
    return;
  }
  expect(doc).not.toBeNull();
  expect({
    status: doc!.status,
    language: doc!.language,
    metadata: doc!.metadata,
    startedAt: doc!.startedAt.getTime(),
    endedAt: doc!.endedAt ? doc!.endedAt.getTime() : null,
    failureReason: doc!.failureReason,
    eventCount: doc!.eventCount,
    events: doc!.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      payload: e.payload,
      timestamp: e.timestamp.getTime(),
      receivedAt: e.receivedAt.toISOString(),
    })),
  }).toEqual({
    status: session.status,
    language: session.language,
    metadata: session.metadata,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    failureReason: session.failureReason,
    eventCount: session.events.length,
    events: session.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      payload: e.payload,
      timestamp: e.timestamp,
      receivedAt: e.receivedAt,
    })),
  });
  const updatedAt = doc!.updatedAt.getTime();
  if (changed) {
    expect(updatedAt).toBeGreaterThanOrEqual(session.updatedAt);
    session.updatedAt = updatedAt;
  } else {
    expect(updatedAt).toBe(session.updatedAt);
  }
}

/** A session answer: the model's view of it, updatedAt as stored. */
export function expectSessionBody(
  res: Response,
  model: ConversationModel,
  sessionId: string,
): void {
  const session = model.get(sessionId)!;
  expect(res.body).toEqual({
    ...model.sessionView(session),
    updatedAt: new Date(session.updatedAt).toISOString(),
  });
}

export function expectServerTime(iso: unknown, from: number, to: number): void {
  expect(typeof iso).toBe('string');
  const ms = Date.parse(iso as string);
  expect(ms).toBeGreaterThanOrEqual(from - CLOCK_SLACK_MS);
  expect(ms).toBeLessThanOrEqual(to + CLOCK_SLACK_MS);
}
