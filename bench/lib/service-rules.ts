import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/process';
import type * as Rules from '../../src/sessions/session-rules';
import type * as Limits from '../../src/sessions/session-rules';
import type * as Mapper from '../../src/sessions/session.mapper';
import type * as Streams from '../../src/sessions/stream/session-streams.service';

/**
 * The service's own builders of the hot operations' filters, updates and
 * pipelines, its limits and its views: the raw-driver comparators (L1, L2)
 * run exactly these, so they cannot drift from what the service sends. The
 * one place the benchmark takes them from.
 *
 * They are loaded from the build (dist/), which is the code the measured
 * service runs, and which the harness builds before anything calls these. (A
 * transpile-only load of the sources cannot emit the schema's decorator
 * metadata.) Types come from the sources.
 */
const RULES = 'sessions/session-rules';
const LIMITS = 'sessions/session-rules';
const MAPPER = 'sessions/session.mapper';
const STREAMS = 'sessions/stream/session-streams.service';

export type {
  AppendLimits,
  EventLookup,
} from '../../src/sessions/session-rules';
export type {
  Session,
  StoredEvent,
} from '../../src/sessions/schemas/session.schema';

const load = createRequire(join(ROOT, 'dist', 'main.js'));
const cache = new Map<string, unknown>();
function built<T>(path: string): T {
  if (!cache.has(path)) cache.set(path, load(join(ROOT, 'dist', path)));
  return cache.get(path) as T;
}
/** Loads the builders now (a comparator does so before it reports ready). */
export function preload(): void {
  for (const path of [RULES, LIMITS, MAPPER]) built(path);
}

const rules = () => built<typeof Rules>(RULES);
const mapper = () => built<typeof Mapper>(MAPPER);

export const appendFilter: typeof Rules.appendFilter = (...args) =>
  rules().appendFilter(...args);
export const appendUpdate: typeof Rules.appendUpdate = (...args) =>
  rules().appendUpdate(...args);
export const eventLookupPipeline: typeof Rules.eventLookupPipeline = (
  ...args
) => rules().eventLookupPipeline(...args);
export const eventPageProjection: typeof Rules.eventPageProjection = (
  ...args
) => rules().eventPageProjection(...args);

/** The read of a stream's first page and of each poll of a live tail. */
export const sessionWithEventPageProjection: typeof Rules.sessionWithEventPageProjection =
  (...args) => rules().sessionWithEventPageProjection(...args);

/** Most events one stream read (a poll) returns. */
export const streamBatch = () => built<typeof Streams>(STREAMS).STREAM_BATCH;

/** Most bytes of events a session document may hold. */
export const eventsByteBudget = () =>
  built<typeof Limits>(LIMITS).EVENTS_BYTE_BUDGET;

export const toEventView: typeof Mapper.toEventView = (...args) =>
  mapper().toEventView(...args);
export const toSessionView: typeof Mapper.toSessionView = (...args) =>
  mapper().toSessionView(...args);

/** BSON bytes an event adds to the events array beyond its own size (as sessions.service.ts counts). */
export const ARRAY_ENTRY_OVERHEAD = 8;
