import { randomUUID } from 'node:crypto';
import type { TestAgent } from './app';

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

export function sessionBody(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    sessionId: uniqueId('s'),
    language: 'en-US',
    metadata: { channel: 'phone', tags: ['a', 'b'] },
    startedAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

export function eventBody(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
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
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const body = sessionBody(overrides);
  await http.post('/sessions').send(body).expect(201);
  return body.sessionId as string;
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
