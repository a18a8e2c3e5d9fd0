/** The ids that name a resource of the API: a session, or one of its events. */
export interface ResourceIds {
  sessionId: string;
  eventId?: string;
}

/**
 * The result of an idempotent write: the resource, and whether this request
 * created it (201) or replayed an earlier identical one (200 +
 * Idempotent-Replayed). `resource` names what was created, for the Location
 * header; a write that creates several resources names none.
 */
export interface Outcome<T> {
  value: T;
  created: boolean;
  resource?: ResourceIds;
}

/** Where a resource lives: the path of its GET route. */
export function locationOf({ sessionId, eventId }: ResourceIds): string {
  const session = `/sessions/${encodeURIComponent(sessionId)}`;
  return eventId === undefined
    ? session
    : `${session}/events/${encodeURIComponent(eventId)}`;
}
