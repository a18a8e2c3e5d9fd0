import type { Response } from 'supertest';

/** An append's body, as the property suites send it. */
export interface EventBody {
  eventId: string;
  type: 'user_speech' | 'bot_speech' | 'system';
  payload: Record<string, unknown>;
  timestamp: string;
}

export interface BatchAnswer {
  events: {
    eventId: string;
    seq: number;
    receivedAt: string;
    outcome: 'created' | 'replayed';
  }[];
}

export type StoredAs = (body: EventBody) => {
  at: number;
  event: { receivedAt: Date } | undefined;
  same: boolean;
};

/**
 * A batch's answer against what is stored: acknowledged, every event is
 * stored as sent at the seq answered; refused, a stored rival explains a
 * conflict, and a closed session one of the batch's events missing.
 */
export function checkBatchAnswer(
  bodies: EventBody[],
  res: Response,
  storedAs: StoredAs,
  context: string,
): void {
  if (res.status === 201 || res.status === 200) {
    const answer = res.body as BatchAnswer;
    expect(answer.events.map((e) => e.eventId)).toEqual(
      bodies.map((b) => b.eventId),
    );
    for (const [i, body] of bodies.entries()) {
      const { at, event, same } = storedAs(body);
      expect({ context, same }).toEqual({ context, same: true });
      expect(answer.events[i]).toMatchObject({
        seq: at + 1,
        receivedAt: event!.receivedAt.toISOString(),
      });
    }
    expect(answer.events.some((e) => e.outcome === 'created')).toBe(
      res.status === 201,
    );
    return;
  }
  expect(res.status).toBe(409);
  const code = (res.body as { code: string }).code;
  const rivals = bodies.filter((b) => {
    const { event, same } = storedAs(b);
    return event !== undefined && !same;
  });
  if (code === 'EVENT_CONFLICT') {
    expect({ context, rivals: rivals.length > 0 }).toEqual({
      context,
      rivals: true,
    });
  } else {
    expect(code).toBe('SESSION_CLOSED');
    expect(bodies.some((b) => storedAs(b).event === undefined)).toBe(true);
  }
}
