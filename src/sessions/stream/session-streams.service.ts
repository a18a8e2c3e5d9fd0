import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { ApiError } from '../../common/api-error';
import type { Env } from '../../config/env.validation';
import { Metrics } from '../../metrics/metrics';
import type { StoredSessionView } from '../session.mapper';
import { leaveInFlight } from '../../common/in-flight-limit.middleware';
import { SessionsRepository } from '../sessions.repository';
import { SessionStream } from './session-stream';
import { type ReadAfter, SessionTail, type TailRead } from './session-tail';
import { resumePosition, SSE_HEADERS } from './sse';
import { StallError, withTimeout } from './timeout';

/** Most events one stream read returns: bounds a read's size, not the stream. */
export const STREAM_BATCH = 100;

/**
 * The live tails of this instance: admits streams up to MAX_STREAMS, keeps
 * one SessionTail per watched session shared by all of its streams, and ends
 * every stream when the application shuts down, so that the HTTP server can
 * close and clients resume elsewhere with Last-Event-ID.
 */
@Injectable()
export class SessionStreams implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionStreams.name);
  private readonly tails = new Map<string, SessionTail>();
  private readonly streams = new Set<SessionStream>();
  /** Streams admitted whose first read has not returned yet. */
  private opening = 0;
  private closing = false;
  private readonly maxStreams: number;
  private readonly intervalMs: number;
  private readonly heartbeatMs: number;
  private readonly stallTimeoutMs: number;
  private readonly read: ReadAfter;

  constructor(
    sessions: SessionsRepository,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.maxStreams = config.getOrThrow('MAX_STREAMS', { infer: true });
    this.intervalMs = config.getOrThrow('STREAM_POLL_INTERVAL_MS', {
      infer: true,
    });
    this.heartbeatMs = config.getOrThrow('STREAM_HEARTBEAT_MS', {
      infer: true,
    });
    this.stallTimeoutMs = config.getOrThrow('STREAM_STALL_TIMEOUT_MS', {
      infer: true,
    });
    this.read = (sessionId, after, limit) =>
      sessions.findWithEventPage(sessionId, after, limit);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  get watchedSessions(): number {
    return this.tails.size;
  }

  /**
   * Opens a stream after `?after=` (or the Last-Event-ID header). Everything
   * that can refuse it (limits, a bad position, an unknown session, the
   * database) is decided before the first byte, so it is a problem document.
   */
  async open(
    sessionId: string,
    after: number,
    lastEventId: string | string[] | undefined,
    response: Response,
  ): Promise<void> {
    const from = resumePosition(lastEventId, after);
    this.admit();
    let gone = false;
    const onGone = () => (gone = true);
    response.once('close', onGone);
    this.opening++;
    let first: TailRead | null;
    try {
      first = await withTimeout(
        this.read(sessionId, from, STREAM_BATCH),
        this.stallTimeoutMs,
      );
    } catch (error) {
      if (!(error instanceof StallError)) throw error;
      throw new ApiError(
        'DATABASE_UNAVAILABLE',
        'The database did not answer in time; retry shortly.',
      );
    } finally {
      this.opening--;
      response.off('close', onGone);
    }
    if (!first) {
      throw new ApiError(
        'SESSION_NOT_FOUND',
        `Session ${sessionId} not found.`,
      );
    }
    if (this.closing) throw shuttingDown();
    if (gone) return;
    if (response.req.method === 'HEAD') {
      // The headers a GET would get, and no stream to hold open.
      response.status(200).set(SSE_HEADERS).end();
      return;
    }

    // Established: from here on MAX_STREAMS, not the in-flight cap, bounds it.
    leaveInFlight(response);
    const tail = this.tailFor(first);
    const stream = new SessionStream(response, tail, from, {
      read: this.read,
      batch: STREAM_BATCH,
      stallTimeoutMs: this.stallTimeoutMs,
      heartbeatMs: this.heartbeatMs,
      onDelivered: (events) => this.metrics.streamDelivered(events),
      onCatchUpRead: () => this.metrics.streamRead('catch_up'),
      onClose: (closed) => {
        this.streams.delete(closed);
        this.metrics.streamClosed();
      },
    });
    this.streams.add(stream);
    this.metrics.streamOpened();
    tail.add(stream);
    stream.start(first);
  }

  beforeApplicationShutdown(signal?: string): void {
    this.closing = true;
    if (this.streams.size > 0) {
      this.logger.log(
        `Ending ${this.streams.size} event streams (${signal ?? 'close'})`,
      );
    }
    for (const stream of [...this.streams]) stream.close();
    for (const tail of [...this.tails.values()]) tail.stop();
  }

  private admit(): void {
    if (this.closing) throw shuttingDown();
    if (this.streams.size + this.opening >= this.maxStreams) {
      throw new ApiError(
        'TOO_MANY_STREAMS',
        `This instance has ${this.maxStreams} event streams open, the most allowed; retry shortly, or on another instance.`,
      );
    }
  }

  private tailFor(first: TailRead): SessionTail {
    const existing = this.tails.get(first.sessionId);
    if (existing) return existing;
    const tail = new SessionTail(
      first.sessionId,
      withoutEvents(first),
      this.read,
      {
        intervalMs: this.intervalMs,
        stallTimeoutMs: this.stallTimeoutMs,
        batch: STREAM_BATCH,
        onPoll: () => this.metrics.streamRead('poll'),
      },
      (stopped) => {
        if (this.tails.get(stopped.sessionId) === stopped) {
          this.tails.delete(stopped.sessionId);
        }
      },
    );
    this.tails.set(first.sessionId, tail);
    return tail;
  }
}

function withoutEvents(read: TailRead): StoredSessionView {
  const seed: Partial<TailRead> = { ...read };
  delete seed.events;
  return seed as StoredSessionView;
}

function shuttingDown(): ApiError {
  return new ApiError(
    'SHUTTING_DOWN',
    'This instance is shutting down; reconnect to another one.',
  );
}
