import type {
  AppendBody,
  ConversationModel,
  Expected,
  ModelEvent,
} from './model';

/**
 * The batch append of the contract model (README "API"), next to the single
 * append of support/model.ts: what `POST /sessions/:id/events/batch` must
 * answer given what is stored, and what is stored afterwards.
 *
 * An eventId twice in the batch is 400 whatever is stored; then no session is
 * 404; any eventId stored with other content is 409 EVENT_CONFLICT; a batch
 * whose every event is stored identically is 200 (even closed or full); new
 * events meet a closed session with 409 SESSION_CLOSED, and the cap with 409
 * SESSION_FULL when they do not all fit; else 201, the new events stored in
 * request order.
 */
export function expectBatch(
  model: ConversationModel,
  sessionId: string,
  bodies: AppendBody[],
): Expected {
  const ids = bodies.map((b) => b.eventId);
  if (new Set(ids).size !== ids.length) {
    return { status: 400, code: 'VALIDATION_FAILED' };
  }
  const session = model.get(sessionId);
  if (!session) return { status: 404, code: 'SESSION_NOT_FOUND' };
  const answers = bodies.map((b) => model.append(sessionId, b));
  if (answers.some((a) => 'code' in a && a.code === 'EVENT_CONFLICT')) {
    return { status: 409, code: 'EVENT_CONFLICT' };
  }
  const fresh = bodies.filter((b) => !model.event(session, b.eventId));
  if (fresh.length === 0) return { status: 200 };
  if (session.status === 'completed' || session.status === 'failed') {
    return { status: 409, code: 'SESSION_CLOSED' };
  }
  if (session.events.length + fresh.length > model.maxEvents) {
    return { status: 409, code: 'SESSION_FULL' };
  }
  return { status: 201 };
}

/** Positions of the batch stored before it: the rest is new. */
export function replayedPositions(
  model: ConversationModel,
  sessionId: string,
  bodies: AppendBody[],
): Set<number> {
  const session = model.get(sessionId)!;
  return new Set(
    bodies.flatMap((b, i) => (model.event(session, b.eventId) ? [i] : [])),
  );
}

/** A 201: the new events go last, in request order; returns every event of the batch. */
export function batchAppended(
  model: ConversationModel,
  sessionId: string,
  bodies: AppendBody[],
  response: { events: { receivedAt: string }[] },
): ModelEvent[] {
  const session = model.get(sessionId)!;
  return bodies.map(
    (body, i) =>
      model.event(session, body.eventId) ??
      model.appended(sessionId, body, response.events[i]),
  );
}
