import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiError } from '../common/api-error';
import { jsonByteLength } from '../common/validation';
import type { Env } from '../config/env.validation';
import { retryTransient } from '../database/retry';
import { Metrics } from '../metrics/metrics';
import { AppendEventDto } from './dto/append-event.dto';
import { AppendEventBatchDto } from './dto/append-event-batch.dto';
import type { EventBatch, EventView } from './dto/views.dto';
import type { Outcome } from './outcome';
import {
  appendRefusal,
  batchRefusal,
  batchTooLong,
  payloadTooLarge,
  repeatedEventIdsRefusal,
} from './refusals';
import { toBatchEventView, toEventView } from './session.mapper';
import {
  type AppendLimits,
  appendLimits,
  eventSize,
  explainRejectedAppend,
  explainRejectedBatch,
  type Replay,
  repeatedEventIds,
  storedEvent,
} from './session-rules';
import { SessionsRepository } from './sessions.repository';

/**
 * Appends, one event or a batch, each one guarded update: the filter admits
 * the push only while the session is open, has room, and holds none of the
 * eventIds yet. When it matches nothing, one lookup and the rules' verdict
 * (session-rules.ts) say why.
 */
@Injectable()
export class EventsService {
  private readonly limits: AppendLimits;
  private readonly maxPayloadBytes: number;
  private readonly maxBatchEvents: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.limits = appendLimits(
      config.getOrThrow('MAX_EVENTS_PER_SESSION', { infer: true }),
    );
    this.maxPayloadBytes = config.getOrThrow('MAX_EVENT_PAYLOAD_BYTES', {
      infer: true,
    });
    this.maxBatchEvents = config.getOrThrow('MAX_BATCH_EVENTS', {
      infer: true,
    });
  }

  async appendEvent(
    sessionId: string,
    dto: AppendEventDto,
  ): Promise<Outcome<EventView>> {
    const tooLarge = this.payloadProblem(dto, 'payload');
    if (tooLarge) throw tooLarge;
    const resource = { sessionId, eventId: dto.eventId };
    return retryTransient(async () => {
      const event = storedEvent(dto, new Date());
      const size = eventSize(event);
      const seq = await this.sessions.appendIfAdmitted(
        sessionId,
        event,
        size,
        this.limits,
      );
      if (seq !== null) {
        this.metrics.eventWrite('created');
        return { value: toEventView(event, seq), created: true, resource };
      }
      const found = await this.sessions.lookupEvent(sessionId, dto.eventId);
      const verdict = explainRejectedAppend(found, dto, size, this.limits);
      if (verdict.kind === 'conflict') this.metrics.eventWrite('conflict');
      if (verdict.kind !== 'replayed') {
        throw appendRefusal(sessionId, dto.eventId, verdict);
      }
      this.metrics.eventWrite('replayed');
      return {
        value: toEventView(verdict.event, verdict.seq),
        created: false,
        resource,
      };
    });
  }

  /**
   * Appends a batch atomically: one guarded update pushes all its events or
   * none. When it does not apply, one lookup of all the batch's eventIds
   * explains it per event; when some are stored identically already, the
   * guarded update runs again for the rest only. Each round either stores,
   * ends with an answer, or shrinks the rest, so the loop ends.
   */
  async appendEvents(
    sessionId: string,
    dto: AppendEventBatchDto,
  ): Promise<Outcome<EventBatch>> {
    const requests = dto.events;
    this.checkBatch(requests);
    const eventIds = requests.map((r) => r.eventId);
    return retryTransient(async () => {
      let attempted = requests.map((_, i) => i);
      let replays: (Replay | undefined)[] = [];
      let sizes: number[] = [];
      for (;;) {
        const receivedAt = new Date();
        const events = attempted.map((i) =>
          storedEvent(requests[i], receivedAt),
        );
        // The first round carries every event: their sizes, by position.
        if (sizes.length === 0) sizes = events.map(eventSize);
        const eventCount = await this.sessions.appendManyIfAdmitted(
          sessionId,
          events,
          attempted.reduce((sum, i) => sum + sizes[i], 0),
          this.limits,
        );
        if (eventCount !== null) {
          // The new events took the seqs right after the ones stored before.
          const first = eventCount - events.length + 1;
          attempted.forEach((position, k) => {
            replays[position] = { event: events[k], seq: first + k };
          });
          this.metrics.eventWrite('created', events.length);
          this.metrics.eventWrite('replayed', requests.length - events.length);
          const created = new Set(attempted);
          const view = replays.map((r, i) =>
            toBatchEventView(r!, created.has(i) ? 'created' : 'replayed'),
          );
          return { value: { events: view }, created: true };
        }
        const found = await this.sessions.lookupEvents(sessionId, eventIds);
        const verdict = explainRejectedBatch(
          found,
          requests,
          attempted,
          sizes,
          this.limits,
        );
        if (verdict.kind === 'replayed') {
          this.metrics.eventWrite('replayed', requests.length);
          const view = verdict.replays.map((r) =>
            toBatchEventView(r, 'replayed'),
          );
          return { value: { events: view }, created: false };
        }
        if (verdict.kind !== 'narrowed') {
          if (verdict.kind === 'conflict') {
            this.metrics.eventWrite('conflict', verdict.positions.length);
          }
          throw batchRefusal(sessionId, eventIds, verdict, this.limits);
        }
        attempted = verdict.fresh;
        replays = verdict.replays;
      }
    });
  }

  /** What the database need not be asked about: length, distinct eventIds, payloads. */
  private checkBatch(requests: AppendEventDto[]): void {
    if (requests.length > this.maxBatchEvents) {
      throw batchTooLong(requests.length, this.maxBatchEvents);
    }
    const repeats = repeatedEventIds(requests);
    if (repeats.length > 0) throw repeatedEventIdsRefusal(repeats);
    const tooLarge = requests.flatMap(
      (r, i) => this.payloadProblem(r, `events[${i}].payload`) ?? [],
    );
    if (tooLarge.length > 0) {
      throw new ApiError(
        'PAYLOAD_TOO_LARGE',
        tooLarge.map((e) => e.detail).join('; '),
        tooLarge.flatMap((e) => e.errors ?? []),
      );
    }
  }

  /** MAX_EVENT_PAYLOAD_BYTES, measured as JSON: over it, 413 naming the field. */
  private payloadProblem(
    dto: AppendEventDto,
    field: string,
  ): ApiError | undefined {
    const bytes = jsonByteLength(dto.payload);
    return bytes > this.maxPayloadBytes
      ? payloadTooLarge(field, bytes, this.maxPayloadBytes)
      : undefined;
  }
}
