'use strict';
/**
 * L2, the limit for an HTTP service: a minimal node:http server speaking the
 * service's routes and bodies, doing the same database operation with the raw
 * driver, and nothing else (no validation, no logging, no middleware).
 * Child process of bench/run.js; sends {type:'ready', port, pid} over IPC.
 */
const http = require('node:http');
const {
  connect,
  opAppend,
  opCreate,
  opLookupEvent,
  opPage,
  eventView,
  sessionView,
  pageView,
} = require('./lib/common');

const uri = process.env.BENCH_URI;
let col;

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(
          chunks.length
            ? JSON.parse(Buffer.concat(chunks).toString('utf8'))
            : {},
        );
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

async function handle(req, res) {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const parts = path.split('/'); // ['', 'sessions', id?, 'events'?]
  if (parts[1] !== 'sessions') return send(res, 404, { code: 'NOT_FOUND' });
  const sessionId = parts[2] ? decodeURIComponent(parts[2]) : undefined;

  if (req.method === 'POST' && parts.length === 2) {
    const body = await readJson(req);
    const doc = await opCreate(
      col,
      body.sessionId,
      body.language,
      body.metadata ?? {},
    );
    return send(res, 201, sessionView(doc), {
      location: `/sessions/${encodeURIComponent(body.sessionId)}`,
    });
  }
  if (req.method === 'POST' && parts.length === 4 && parts[3] === 'events') {
    const body = await readJson(req);
    const appended = await opAppend(col, sessionId, body);
    if (appended) {
      return send(res, 201, eventView(appended.event, appended.seq), {
        location: `/sessions/${encodeURIComponent(sessionId)}/events/${encodeURIComponent(body.eventId)}`,
      });
    }
    const found = await opLookupEvent(col, sessionId, body.eventId);
    if (!found) return send(res, 404, { code: 'SESSION_NOT_FOUND' });
    if (!found.event) return send(res, 409, { code: 'SESSION_CLOSED_OR_FULL' });
    return send(res, 200, eventView(found.event, found.index + 1), {
      'idempotent-replayed': 'true',
    });
  }
  if (req.method === 'GET' && parts.length === 4 && parts[3] === 'events') {
    const params = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
    const after = Number(params.get('after') ?? 0);
    const limit = Number(params.get('limit') ?? 50);
    const doc = await opPage(col, sessionId, after, limit);
    if (!doc) return send(res, 404, { code: 'SESSION_NOT_FOUND' });
    return send(res, 200, pageView(doc, after));
  }
  return send(res, 404, { code: 'NOT_FOUND' });
}

async function main() {
  const client = await connect(uri);
  col = client.db().collection('sessions');
  await client.db().command({ ping: 1 });
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        send(res, 500, {
          code: 'INTERNAL',
          detail: String(error?.message ?? error),
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.send({
      type: 'ready',
      port: server.address().port,
      pid: process.pid,
    });
  });
  process.on('message', (msg) => {
    if (msg.type === 'exit') {
      server.close();
      client.close().finally(() => process.exit(0));
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
