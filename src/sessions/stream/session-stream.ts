import type { Response } from 'express';
import { isFinal } from '../etag';
import type { StoredEvent } from '../schemas/session.schema';
import { toEventView, toSessionView } from '../session.mapper';
import type {
  ReadAfter,
  SessionTail,
  TailListener,
  TailRead,
} from './session-tail';
import {
  endFrame,
  eventFrame,
  HEARTBEAT_FRAME,
  RETRY_FRAME,
  SSE_HEADERS,
} from './sse';
import { withTimeout } from './timeout';

export interface StreamOptions {
  read: ReadAfter;
  batch: number;
  stallTimeoutMs: number;
  heartbeatMs: number;
  /** Counts events written and own reads, for the metrics. */
  onDelivered: (events: number) => void;
  onCatchUpRead: () => void;
  /** Called once, when the stream has ended for whatever reason. */
  onClose: (stream: SessionStream) => void;
}

/**
 * One client's stream of one session. It writes every event with seq above
 * `delivered`, in order and once: from the tail's latest poll when that holds
 * the next seq, else from a read of its own (catching up, or after falling
 * behind a slow client's socket). Writes happen one pump at a time.
 */
export class SessionStream implements TailListener {
  private pumping = false;
  private again = false;
  private closed = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly response: Response,
    private readonly tail: SessionTail,
    private delivered: number,
    private readonly options: StreamOptions,
  ) {}

  /** Sends the headers and the events of the stream's first read, then follows the tail. */
  start(first: TailRead): void {
    this.response.status(200);
    for (const [name, value] of Object.entries(SSE_HEADERS)) {
      this.response.setHeader(name, value);
    }
    this.response.flushHeaders();
    this.response.socket?.setNoDelay(true);
    this.response.on('close', () => this.close());
    this.response.write(RETRY_FRAME);
    this.heartbeat = setInterval(
      () => this.response.write(HEARTBEAT_FRAME),
      this.options.heartbeatMs,
    );
    this.writeEvents(first.events);
    void this.pump();
  }

  changed(): void {
    void this.pump();
  }

  /** Ends without `end`: the client reconnects and resumes with Last-Event-ID. */
  failed(): void {
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.tail.remove(this);
    this.response.end();
    this.options.onClose(this);
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.deliver();
      } while (this.again && !this.closed);
    } catch {
      // A failed or stalled read of its own, or a client that stopped
      // reading: end, and let the client resume with Last-Event-ID.
      this.close();
    } finally {
      this.pumping = false;
    }
  }

  private async deliver(): Promise<void> {
    while (!this.closed) {
      const session = this.tail.session;
      if (this.delivered >= session.eventCount) {
        if (isFinal(session.status)) {
          this.response.write(endFrame(toSessionView(session)));
          this.close();
        }
        return;
      }
      let events = this.tail.eventsFrom(this.delivered + 1);
      if (!events) {
        this.options.onCatchUpRead();
        const found = await withTimeout(
          this.options.read(
            this.tail.sessionId,
            this.delivered,
            this.options.batch,
          ),
          this.options.stallTimeoutMs,
        );
        if (this.closed) return;
        if (!found || found.events.length === 0) return;
        events = found.events;
      }
      // A client that stops reading for the stall timeout is let go.
      if (!this.writeEvents(events)) {
        await withTimeout(this.drained(), this.options.stallTimeoutMs);
      }
    }
  }

  /** Writes the events that follow `delivered`; false when the socket asks to wait. */
  private writeEvents(events: StoredEvent[]): boolean {
    if (events.length === 0 || this.closed) return true;
    const first = this.delivered + 1;
    const frames = events
      .map((event, i) => eventFrame(toEventView(event, first + i)))
      .join('');
    this.delivered += events.length;
    this.options.onDelivered(events.length);
    return this.response.write(frames);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }
}
