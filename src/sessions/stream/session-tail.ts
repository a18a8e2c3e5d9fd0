import { isFinal } from '../etag';
import type { StoredEvent } from '../schemas/session.schema';
import type { StoredSessionView } from '../session.mapper';
import { withTimeout } from './timeout';

/** One read for a stream: the session's view and its events after a seq. */
export type TailRead = StoredSessionView & { events: StoredEvent[] };
export type ReadAfter = (
  sessionId: string,
  after: number,
  limit: number,
) => Promise<TailRead | null>;

export interface TailListener {
  /** The tail has read new events or a new status. */
  changed(): void;
  /** The database failed or did not answer for too long: stop listening. */
  failed(): void;
}

export interface TailOptions {
  intervalMs: number;
  stallTimeoutMs: number;
  /** Most events one read returns. */
  batch: number;
  /** Called once per poll, for the cost metrics. */
  onPoll: () => void;
}

/**
 * One instance's view of one session's newest state, kept current by a single
 * poll per interval however many streams listen: each poll is one read of the
 * session's status and of the events after the last seq it has seen. Polls
 * never overlap, and stop when nothing listens or nothing can change anymore.
 */
export class SessionTail {
  /** The session as the latest read saw it. */
  session: StoredSessionView;
  /** The events the latest poll read, the first of them with seq `bufferStart`. */
  private buffer: StoredEvent[] = [];
  private bufferStart: number;
  /** The next poll reads the events after this seq. */
  private polledTo: number;
  private readonly listeners = new Set<TailListener>();
  private timer?: NodeJS.Timeout;
  private lastAnswer = Date.now();
  private stopped = false;

  constructor(
    readonly sessionId: string,
    seed: StoredSessionView,
    private readonly read: ReadAfter,
    private readonly options: TailOptions,
    private readonly onStop: (tail: SessionTail) => void,
  ) {
    this.session = seed;
    this.polledTo = seed.eventCount;
    this.bufferStart = seed.eventCount + 1;
  }

  get listening(): number {
    return this.listeners.size;
  }

  /** Nothing can change anymore: the session is closed and every event was read. */
  get finished(): boolean {
    return (
      isFinal(this.session.status) && this.polledTo >= this.session.eventCount
    );
  }

  add(listener: TailListener): void {
    this.listeners.add(listener);
    if (!this.timer && !this.finished) this.schedule(this.options.intervalMs);
  }

  remove(listener: TailListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  /** The events from seq `from` on, if the latest poll read seq `from`. */
  eventsFrom(from: number): StoredEvent[] | undefined {
    const offset = from - this.bufferStart;
    if (offset < 0 || offset >= this.buffer.length) return undefined;
    return this.buffer.slice(offset);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    this.onStop(this);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    this.options.onPoll();
    let delay = this.options.intervalMs;
    try {
      const found = await withTimeout(
        this.read(this.sessionId, this.polledTo, this.options.batch),
        this.options.stallTimeoutMs,
      );
      if (this.stopped) return;
      // Sessions are never deleted; a miss means the database is not the one we read before.
      if (!found) throw new Error(`session ${this.sessionId} is gone`);
      this.lastAnswer = Date.now();
      const { events, ...session } = found;
      const changed =
        events.length > 0 || session.status !== this.session.status;
      this.buffer = events;
      this.bufferStart = this.polledTo + 1;
      this.polledTo += events.length;
      this.session = session;
      if (changed)
        for (const listener of [...this.listeners]) listener.changed();
      // More was stored than one read returns: read on at once.
      if (session.eventCount > this.polledTo) delay = 0;
    } catch {
      if (this.stopped) return;
      if (Date.now() - this.lastAnswer >= this.options.stallTimeoutMs) {
        const listeners = [...this.listeners];
        this.stop();
        for (const listener of listeners) listener.failed();
        return;
      }
    }
    this.timer = undefined;
    if (!this.stopped && !this.finished) this.schedule(delay);
  }
}
