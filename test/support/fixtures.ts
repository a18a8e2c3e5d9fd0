import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { AppendEventDto } from '../../src/sessions/dto/append-event.dto';
import type {
  CompleteSessionDto,
  FailSessionDto,
} from '../../src/sessions/dto/close-session.dto';
import type { CreateSessionDto } from '../../src/sessions/dto/create-session.dto';
import type { TestAgent } from './app';

/** Request bodies, typed by the DTOs that validate them: a renamed field breaks the tests that send it. */
export type CreateSessionBody = CreateSessionDto;
export type AppendEventBody = AppendEventDto;
export type CompleteSessionBody = CompleteSessionDto;
export type FailSessionBody = FailSessionDto;

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

/** A valid create body with a fresh sessionId. */
export function sessionBody(
  overrides: Partial<CreateSessionBody> = {},
): CreateSessionBody {
  return {
    sessionId: uniqueId('s'),
    language: 'en-US',
    metadata: { channel: 'phone', tags: ['a', 'b'] },
    startedAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

/** A valid append body with a fresh eventId. */
export function eventBody(
  overrides: Partial<AppendEventBody> = {},
): AppendEventBody {
  return {
    eventId: uniqueId('e'),
    type: 'user_speech',
    payload: {
      text: 'hello',
      confidence: 0.93,
      words: [{ w: 'hello', t: 0.1 }],
    },
    timestamp: '2026-11-25T10:00:01.000Z',
    ...overrides,
  };
}

/** Creates a session through the API and returns its id. */
export async function createSession(
  http: TestAgent,
  overrides: Partial<CreateSessionBody> = {},
): Promise<string> {
  const body = sessionBody(overrides);
  await http.post('/sessions').send(body).expect(201);
  return body.sessionId;
}

export interface SeededSession {
  sessionId: string;
  /** The bodies appended, in seq order (seq = index + 1). */
  events: AppendEventBody[];
  /** Every answer, the create's first: for request counters. */
  responses: Response[];
}

/**
 * Creates `session` and appends `events` to it one at a time (a number:
 * that many fresh events), checking that the create answers 201 and each
 * append 201 with the next seq.
 */
export async function seedSession(
  http: TestAgent,
  {
    session = sessionBody(),
    events = 0,
  }: { session?: CreateSessionBody; events?: number | AppendEventBody[] } = {},
): Promise<SeededSession> {
  const bodies =
    typeof events === 'number'
      ? Array.from({ length: events }, () => eventBody())
      : events;
  const created = await http.post('/sessions').send(session);
  expect(created.status).toBe(201);
  const responses = [created];
  for (const [index, body] of bodies.entries()) {
    const res = await http
      .post(`/sessions/${session.sessionId}/events`)
      .send(body);
    expect(res.status).toBe(201);
    expect(res.body.seq).toBe(index + 1);
    responses.push(res);
  }
  return { sessionId: session.sessionId, events: bodies, responses };
}

/** Fires all requests at once and waits for every answer. */
export function concurrently<T>(
  count: number,
  fire: (i: number) => Promise<T>,
): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => fire(i)));
}

export function countBy<T>(
  items: T[],
  key: (item: T) => string | number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
