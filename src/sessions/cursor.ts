import type { StoredSessionView } from './session.mapper';
import { ID_PATTERN } from '../common/validation';

export interface SessionCursor {
  startedAt: Date;
  sessionId: string;
}

/** Opaque to clients: the sort key of the last session on a page. */
export function encodeCursor(
  last: Pick<StoredSessionView, 'startedAt' | 'sessionId'>,
): string {
  return Buffer.from(
    JSON.stringify([last.startedAt.getTime(), last.sessionId]),
  ).toString('base64url');
}

export function decodeCursor(cursor: string): SessionCursor | undefined {
  try {
    const decoded: unknown = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      Number.isSafeInteger(decoded[0]) &&
      typeof decoded[1] === 'string' &&
      ID_PATTERN.test(decoded[1])
    ) {
      const startedAt = new Date(decoded[0] as number);
      if (!Number.isNaN(startedAt.getTime())) {
        return { startedAt, sessionId: decoded[1] };
      }
    }
  } catch {
    // Not base64url JSON: malformed, like any other shape.
  }
  return undefined;
}
