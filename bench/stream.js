#!/usr/bin/env node
'use strict';
/**
 * `node bench/stream.js`: latency and database cost of the live tail
 * (GET /sessions/{id}/stream); a script that prints figures, not a test.
 *
 * Starts two instances of the built service (`node dist/main.js`) on one
 * database: A takes the appends, B serves the streams, so every event
 * crosses instances the way production's do (through B's poll).
 *  1. latency: --latency-streams streams on B follow one session while
 *     --events appends go to A, one every --gap ms; per event and stream, the
 *     time from just before the POST to the event's arrival: p50/p95/max.
 *  2. cost: --streams idle streams on B spread over S sessions (each S of
 *     --sessions); over --measure seconds, B's polls per second (its
 *     conversation_stream_reads_total{kind="poll"}) and B's CPU.
 *  3. one poll's database time: the tail's own read (sessionPageProjection),
 *     sequentially, on a session of 10 events and one of 2,000.
 *
 * Flags: --uri (default $MONGODB_URI, else mongodb://127.0.0.1:27027/),
 * --interval (STREAM_POLL_INTERVAL_MS, default 250), --events 200, --gap 50,
 * --latency-streams 5, --streams 1000, --sessions 10,100, --measure 10.
 * Needs a current `npm run build`. Drops its database at the end.
 */
const http = require('node:http');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');
const {
  connect,
  latencySummary,
  procCpuMs,
  seededSession,
  withDatabase,
} = require('./lib/common');

const { values: opt } = parseArgs({
  options: {
    uri: { type: 'string' },
    interval: { type: 'string', default: '250' },
    events: { type: 'string', default: '200' },
    gap: { type: 'string', default: '50' },
    'latency-streams': { type: 'string', default: '5' },
    streams: { type: 'string', default: '1000' },
    sessions: { type: 'string', default: '10,100' },
    measure: { type: 'string', default: '10' },
  },
});
const BASE_URI =
  opt.uri ?? process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/';
const DB = `conversation_stream_bench_${process.pid}`;
const URI = withDatabase(BASE_URI, DB);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startInstance(port) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: `${__dirname}/..`,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      AUTH_DISABLED: 'true',
      API_KEYS: '',
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'warn',
      MAX_STREAMS: '100000',
      STREAM_POLL_INTERVAL_MS: opt.interval,
      MONGODB_URI: URI,
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

function request(url, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function waitReady(url) {
  for (let i = 0; i < 300; i++) {
    const ok = await request(url, 'GET', '/health/ready').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not become ready`);
}

/** A raw SSE client that calls onEvent(seq, data) for every `event` message. */
function openStream(url, sessionId, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/sessions/${sessionId}/stream`,
      { agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream answered ${res.statusCode}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buffer += chunk;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (!block.includes('event: event')) continue;
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            onEvent(JSON.parse(data.slice(6)));
          }
        });
        res.on('error', () => undefined);
        resolve(() => res.destroy());
      },
    );
    req.on('error', reject);
  });
}

async function metric(url, name) {
  const { text } = await request(url, 'GET', '/metrics');
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function createSession(url, sessionId) {
  const r = await request(url, 'POST', '/sessions', {
    sessionId,
    language: 'en',
  });
  if (r.status !== 201) throw new Error(`create ${r.status} ${r.text}`);
}

async function latency(a, b) {
  const sessionId = `lat-${Date.now()}`;
  await createSession(a.url, sessionId);
  const arrivals = [];
  const sentAt = new Map();
  const closers = [];
  for (let i = 0; i < Number(opt['latency-streams']); i++) {
    closers.push(
      await openStream(b.url, sessionId, (event) =>
        arrivals.push(performance.now() - sentAt.get(event.seq)),
      ),
    );
  }
  const count = Number(opt.events);
  for (let i = 1; i <= count; i++) {
    sentAt.set(i, performance.now());
    const r = await request(a.url, 'POST', `/sessions/${sessionId}/events`, {
      eventId: `e${i}`,
      type: 'user_speech',
      payload: { i },
      timestamp: new Date().toISOString(),
    });
    if (r.status !== 201) throw new Error(`append ${r.status}`);
    await sleep(Number(opt.gap));
  }
  const expected = count * closers.length;
  for (let i = 0; i < 100 && arrivals.length < expected; i++) await sleep(50);
  closers.forEach((close) => close());
  const s = latencySummary(arrivals);
  const p95 = arrivals.sort((x, y) => x - y)[
    Math.ceil(0.95 * arrivals.length) - 1
  ];
  console.log(
    `latency (append on A -> event on B), ${closers.length} streams x ${count} events, poll every ${opt.interval} ms:` +
      ` p50 ${s.p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms` +
      ` (${arrivals.length}/${expected} delivered)`,
  );
}

async function cost(b, sessions) {
  const total = Number(opt.streams);
  const ids = [];
  for (let i = 0; i < sessions; i++) {
    ids.push(`cost-${sessions}-${i}`);
    await createSession(b.url, ids[i]);
  }
  const closers = [];
  for (let i = 0; i < total; i++) {
    closers.push(await openStream(b.url, ids[i % sessions], () => undefined));
  }
  await sleep(1000);
  const seconds = Number(opt.measure);
  const polls0 = await metric(
    b.url,
    'conversation_stream_reads_total{kind="poll"}',
  );
  const cpu0 = procCpuMs(b.child.pid);
  await sleep(seconds * 1000);
  const polls =
    (await metric(b.url, 'conversation_stream_reads_total{kind="poll"}')) -
    polls0;
  const cpu = procCpuMs(b.child.pid) - cpu0;
  const open = await metric(b.url, 'conversation_streams_open');
  closers.forEach((close) => close());
  console.log(
    `cost: ${open} open streams over ${sessions} sessions: ${(polls / seconds).toFixed(1)} polls/s` +
      ` (formula sessions x 1000/interval = ${((sessions * 1000) / Number(opt.interval)).toFixed(0)}),` +
      ` service CPU ${((cpu / (seconds * 1000)) * 100).toFixed(1)} % of one core`,
  );
  await sleep(500);
}

async function pollTime() {
  // The service's own builder, from the build, so that this is the read a poll makes.
  const {
    sessionPageProjection,
  } = require('../dist/sessions/sessions.repository.js');
  const client = await connect(URI);
  const col = client.db().collection('sessions');
  for (const n of [10, 2000]) {
    const sessionId = `poll-${n}`;
    await col.insertOne(seededSession(sessionId, n));
    const times = [];
    for (let i = 0; i < 500; i++) {
      const t0 = performance.now();
      await col.findOne(
        { sessionId },
        { projection: sessionPageProjection(n, 100) },
      );
      times.push(performance.now() - t0);
    }
    const s = latencySummary(times);
    const p95 = times.sort((x, y) => x - y)[Math.ceil(0.95 * times.length) - 1];
    console.log(
      `one poll (no new events) of a session of ${n} events: mean ${s.mean.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
    );
  }
  await client.close();
}

async function dropDatabase() {
  const client = await connect(URI);
  await client.db().dropDatabase();
  await client.close();
}

async function main() {
  const base = 30000 + Math.floor(Math.random() * 5000);
  const a = startInstance(base);
  const b = startInstance(base + 1);
  try {
    await Promise.all([waitReady(a.url), waitReady(b.url)]);
    await latency(a, b);
    for (const sessions of opt.sessions.split(',').map(Number)) {
      await cost(b, sessions);
    }
    await pollTime();
  } finally {
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await dropDatabase().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
