import { ApiError } from '../../common/api-error';
import type { EventView, SessionView } from '../dto/views.dto';
import { MAX_AFTER } from '../dto/query.dto';

/**
 * The Server-Sent Events wire format of a session's stream. JSON never
 * contains a raw line break, so each data field is one line.
 */

/** How long a client waits before it reconnects after the stream closes (ms). */
export const RECONNECT_DELAY_MS = 1000;

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  // nginx and similar proxies would otherwise buffer the stream.
  'X-Accel-Buffering': 'no',
} as const;

export const RETRY_FRAME = `retry: ${RECONNECT_DELAY_MS}\n\n`;
export const HEARTBEAT_FRAME = ': keep-alive\n\n';

export function eventFrame(event: EventView): string {
  return `id: ${event.seq}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`;
}

export function endFrame(session: SessionView): string {
  return `event: end\ndata: ${JSON.stringify(session)}\n\n`;
}

/**
 * The seq after which a stream starts: the Last-Event-ID a reconnecting
 * client sends (the seq of the last event it received), else `?after=`.
 */
export function resumePosition(
  lastEventId: string | string[] | undefined,
  after: number,
): number {
  if (lastEventId === undefined) return after;
  const value = Array.isArray(lastEventId)
    ? lastEventId.join(',')
    : lastEventId;
  const seq = /^\s*(\d{1,10})\s*$/.exec(value);
  if (!seq || Number(seq[1]) > MAX_AFTER) {
    throw new ApiError(
      'VALIDATION_FAILED',
      'Last-Event-ID must be the seq of an event this stream sent.',
      [
        {
          field: 'Last-Event-ID',
          message: `must be an integer from 0 to ${MAX_AFTER}`,
        },
      ],
    );
  }
  return Number(seq[1]);
}
