'use strict';
/**
 * What the harness, the raw-driver client (L1) and the minimal HTTP server
 * (L2) share: the event and session shapes, and the exact database operations
 * the service performs, written against the raw `mongodb` driver that
 * mongoose brings (no second driver dependency).
 */
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { mongo } = require('mongoose');

const { MongoClient, BSON } = mongo;

/** Mirrors src/sessions/sessions.service.ts. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
const EVENTS_BYTE_BUDGET = MAX_DOCUMENT_BYTES - 64 * 1024;
const ARRAY_ENTRY_OVERHEAD = 8;
const OPEN_STATUSES = ['initiated', 'active'];

/** The event cap the service and the comparators run with (seeding needs > 5000). */
const BENCH_MAX_EVENTS = 20000;

/** A typical voice-AI event: one recognised utterance (about 240 BSON bytes stored). */
const PAYLOAD = Object.freeze({
  text: 'Hello, I would like to change the delivery address on my last order, please. It is urgent!',
  confidence: 0.93,
});
const EVENT_TYPE = 'user_speech';
const BASE_TS = Date.UTC(2025, 0, 1);

/** Seeded event i of every seeded session: deterministic, so a replay can send it again. */
function seededEvent(i) {
  const at = new Date(BASE_TS + i * 1000);
  return {
    eventId: `e${i}`,
    type: EVENT_TYPE,
    payload: PAYLOAD,
    timestamp: at,
    receivedAt: at,
  };
}

/** The HTTP body that appends (or replays) seeded event i. */
function seededEventBody(i) {
  return JSON.stringify({
    eventId: `e${i}`,
    type: EVENT_TYPE,
    payload: PAYLOAD,
    timestamp: new Date(BASE_TS + i * 1000).toISOString(),
  });
}

/** Events e0..e{n-1}, shared by all seeded sessions, and their eventBytes. */
const eventsCache = new Map();
function seededEvents(n) {
  let cached = eventsCache.get(n);
  if (!cached) {
    const events = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const e = seededEvent(i);
      bytes += BSON.calculateObjectSize(e) + ARRAY_ENTRY_OVERHEAD;
      events.push(e);
    }
    cached = { events, bytes };
    eventsCache.set(n, cached);
  }
  return cached;
}

/** A stored session, exactly as the service's schema writes it. */
function seededSession(sessionId, n) {
  const { events, bytes } = seededEvents(n);
  const now = new Date();
  return {
    sessionId,
    status: 'active',
    language: 'en',
    metadata: {},
    startedAt: now,
    endedAt: null,
    eventCount: n,
    eventBytes: bytes,
    events,
    createdAt: now,
    updatedAt: now,
  };
}

/** The document the service's create inserts (mongoose adds _id, createdAt, updatedAt). */
function newSession(sessionId, language = 'en', metadata = {}) {
  const now = new Date();
  return {
    sessionId,
    status: 'initiated',
    language,
    metadata,
    startedAt: now,
    endedAt: null,
    eventCount: 0,
    eventBytes: 0,
    events: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Replaces (or adds) the database name of a mongodb:// or mongodb+srv:// URI. */
function withDatabase(uri, db) {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/([^?]*))?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`not a mongodb URI: ${uri}`);
  return `${m[1]}/${db}${m[3] ?? ''}`;
}

/** The driver options the service uses (src/database/database.options.ts). */
function connect(uri) {
  return new MongoClient(uri, {
    maxPoolSize: 50,
    serverSelectionTimeoutMS: 5000,
    heartbeatFrequencyMS: 2000,
    writeConcern: { w: 'majority' },
  }).connect();
}

// ---------------------------------------------------------------------------
// The service's operations, one database round trip each (two for a replay).
// Mirrors src/sessions/sessions.repository.ts (and sessions.service.ts): when
// a filter, update or projection changes there, change it here too, or L1 and
// L2 stop being the same operation.

/** POST /sessions: mongoose's Model.create is one insert of this document. */
async function opCreate(col, sessionId, language, metadata) {
  const doc = newSession(sessionId, language, metadata);
  await col.insertOne(doc);
  return doc;
}

/**
 * The service's own definitions of these operations, from the build (the
 * harness builds dist/ before anything runs them), so that L1 and L2 cannot
 * drift from what the service sends.
 */
function service() {
  return {
    ...require('../../dist/sessions/sessions.repository.js'),
    ...require('../../dist/sessions/session.mapper.js'),
  };
}

/** The guard of an append: open, room left, eventId not stored yet. */
function appendFilter(sessionId, eventId, size, maxEvents = BENCH_MAX_EVENTS) {
  return service().appendFilter(sessionId, eventId, size, {
    maxEvents,
    byteBudget: EVENTS_BYTE_BUDGET,
  });
}

/**
 * POST /sessions/:id/events, the guarded findOneAndUpdate of
 * SessionsRepository.appendIfAdmitted.
 * Returns the new event and its seq, or null when the filter matched nothing.
 */
async function opAppend(col, sessionId, body, maxEvents = BENCH_MAX_EVENTS) {
  const event = {
    eventId: body.eventId,
    type: body.type,
    payload: body.payload,
    timestamp: new Date(body.timestamp),
    receivedAt: new Date(),
  };
  const size = BSON.calculateObjectSize(event) + ARRAY_ENTRY_OVERHEAD;
  const appended = await col.findOneAndUpdate(
    appendFilter(sessionId, body.eventId, size, maxEvents),
    service().appendUpdate(event, size),
    { returnDocument: 'after', projection: { _id: 0, eventCount: 1 } },
  );
  return appended ? { event, seq: appended.eventCount } : null;
}

/** SessionsRepository.lookupEvent: the session's state and the event with this id, one aggregate. */
async function opLookupEvent(col, sessionId, eventId) {
  const [found] = await col
    .aggregate(service().eventLookupPipeline(sessionId, eventId))
    .toArray();
  return found ?? null;
}

/**
 * A replayed append: the guarded update (which matches nothing, the eventId
 * is stored) followed by the lookup, as the service does. Returns the stored
 * event and its seq, or null when it is not a replay.
 */
async function opReplay(col, sessionId, body, maxEvents = BENCH_MAX_EVENTS) {
  const appended = await opAppend(col, sessionId, body, maxEvents);
  if (appended) return { ...appended, created: true };
  const found = await opLookupEvent(col, sessionId, body.eventId);
  if (!found || !found.event) return null;
  return { event: found.event, seq: found.index + 1, created: false };
}

/** GET /sessions/:id/events?after=&limit=: the page is sliced by the database. */
function opPage(col, sessionId, after, limit) {
  return col.findOne(
    { sessionId },
    { projection: service().eventPageProjection(after, limit) },
  );
}

function eventView(event, seq) {
  return service().toEventView(event, seq);
}

function sessionView(doc) {
  return service().toSessionView(doc);
}

function pageView(doc, after) {
  const events = doc.events.map((e, i) => eventView(e, after + i + 1));
  const reached = after + events.length;
  return {
    events,
    nextAfter: events.length > 0 && reached < doc.eventCount ? reached : null,
  };
}

// ---------------------------------------------------------------------------
// Measurement helpers.

let clkTck;
function clockTicks() {
  if (clkTck === undefined) {
    try {
      clkTck =
        Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime of a process (all its threads), in ms, from /proc/<pid>/stat. */
function procCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
}

/** Sorted-array percentile (nearest rank). */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function latencySummary(values, count) {
  const sorted = Float64Array.from(
    values.subarray ? values.subarray(0, count) : values,
  ).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
    samples: sorted.length,
  };
}

module.exports = {
  BSON,
  MongoClient,
  ARRAY_ENTRY_OVERHEAD,
  BENCH_MAX_EVENTS,
  EVENTS_BYTE_BUDGET,
  EVENT_TYPE,
  PAYLOAD,
  BASE_TS,
  seededEvent,
  seededEventBody,
  seededEvents,
  seededSession,
  newSession,
  withDatabase,
  appendFilter,
  connect,
  opCreate,
  opAppend,
  opLookupEvent,
  opReplay,
  opPage,
  eventView,
  sessionView,
  pageView,
  procCpuMs,
  percentile,
  latencySummary,
};
