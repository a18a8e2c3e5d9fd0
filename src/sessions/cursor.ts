import { ID_PATTERN } from '../common/validation';
import type { StoredSessionView } from './session.mapper';

export interface SessionCursor {
  startedAt: Date;
  sessionId: string;
}

/**
 * The sort key of the last session on a page: `<startedAt in ms>~<sessionId>`.
 * Opaque to clients, but its shape is documented (CURSOR_PATTERN) so that every
 * string the OpenAPI document admits is a position the list can resume from.
 */
export const CURSOR_PATTERN = new RegExp(
  `^(-?[0-9]{1,15})~(${ID_PATTERN.source.slice(1, -1)})$`,
);

export function encodeCursor(
  last: Pick<StoredSessionView, 'startedAt' | 'sessionId'>,
): string {
  return `${last.startedAt.getTime()}~${last.sessionId}`;
}

export function decodeCursor(cursor: string): SessionCursor | undefined {
  const match = CURSOR_PATTERN.exec(cursor);
  if (!match) return undefined;
  const startedAt = new Date(Number(match[1]));
  if (Number.isNaN(startedAt.getTime())) return undefined;
  return { startedAt, sessionId: match[2] };
}
