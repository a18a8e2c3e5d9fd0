import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';

export const HTTP_DURATION = 'http_request_duration_seconds';
export const SESSIONS_TOTAL = 'conversation_sessions_total';
export const EVENTS_TOTAL = 'conversation_events_total';
export const DATABASE_ERRORS_TOTAL = 'conversation_database_errors_total';
export const STREAMS_OPEN = 'conversation_streams_open';
export const STREAM_EVENTS_TOTAL = 'conversation_stream_events_delivered_total';
export const STREAM_READS_TOTAL = 'conversation_stream_reads_total';

/** Why a live tail read the database: a session's shared poll, or one stream catching up. */
export type StreamRead = 'poll' | 'catch_up';

export type WriteOutcome = 'created' | 'replayed' | 'conflict';

export const METRIC_PROVIDERS = [
  makeHistogramProvider({
    name: HTTP_DURATION,
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ],
  }),
  makeCounterProvider({
    name: SESSIONS_TOTAL,
    help: 'Session creates by outcome',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: EVENTS_TOTAL,
    help: 'Event appends by outcome',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: DATABASE_ERRORS_TOTAL,
    help: 'Requests answered 503 because the database was unreachable or kept losing races',
  }),
  makeGaugeProvider({
    name: STREAMS_OPEN,
    help: 'Event streams open on this instance',
  }),
  makeCounterProvider({
    name: STREAM_EVENTS_TOTAL,
    help: 'Events written to event streams',
  }),
  makeCounterProvider({
    name: STREAM_READS_TOTAL,
    help: 'Database reads made for event streams, by kind (poll: one per watched session per interval; catch_up: a stream behind the shared poll)',
    labelNames: ['kind'],
  }),
];

/** The service's own metrics, named in domain terms for the code that records them. */
@Injectable()
export class Metrics {
  constructor(
    @InjectMetric(HTTP_DURATION) readonly httpDuration: Histogram<string>,
    @InjectMetric(SESSIONS_TOTAL) private readonly sessions: Counter<string>,
    @InjectMetric(EVENTS_TOTAL) private readonly events: Counter<string>,
    @InjectMetric(DATABASE_ERRORS_TOTAL)
    private readonly databaseErrors: Counter<string>,
    @InjectMetric(STREAMS_OPEN) private readonly streamsOpen: Gauge<string>,
    @InjectMetric(STREAM_EVENTS_TOTAL)
    private readonly streamEvents: Counter<string>,
    @InjectMetric(STREAM_READS_TOTAL)
    private readonly streamReads: Counter<string>,
  ) {}

  sessionWrite(outcome: WriteOutcome): void {
    this.sessions.inc({ outcome });
  }

  /** `count` events with this outcome: one for a single append, many for a batch. */
  eventWrite(outcome: WriteOutcome, count = 1): void {
    if (count > 0) this.events.inc({ outcome }, count);
  }

  databaseError(): void {
    this.databaseErrors.inc();
  }

  streamOpened(): void {
    this.streamsOpen.inc();
  }

  streamClosed(): void {
    this.streamsOpen.dec();
  }

  streamDelivered(events: number): void {
    this.streamEvents.inc(events);
  }

  streamRead(kind: StreamRead): void {
    this.streamReads.inc({ kind });
  }
}
