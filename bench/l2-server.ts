/**
 * L2, the limit for an HTTP service: a minimal node:http server speaking the
 * service's routes and bodies, doing the same database operation with the raw
 * driver, and nothing else (no validation, no logging, no middleware).
 * A child process of bench/run.ts; sends {type:'ready', port, pid} over IPC.
 */
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { toParent, type ParentMessage } from './lib/ipc';
import {
  opAppend,
  opCreate,
  opLookupEvent,
  opPage,
  pageView,
} from './lib/operations';
import { preload, toEventView, toSessionView } from './lib/service-rules';
import {
  connect,
  sessionsOf,
  type AppendBody,
  type SessionCollection,
} from './lib/workload';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readJson<T>(req: IncomingMessage): Promise<T> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve((text ? JSON.parse(text) : {}) as T);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}

interface CreateBody {
  sessionId: string;
  language: string;
  metadata?: Record<string, unknown>;
}

async function handle(
  col: SessionCollection,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const parts = path.split('/'); // ['', 'sessions', id?, 'events'?]
  if (parts[1] !== 'sessions') return send(res, 404, { code: 'NOT_FOUND' });
  const sessionId = parts[2] ? decodeURIComponent(parts[2]) : '';

  if (req.method === 'POST' && parts.length === 2) {
    const body = await readJson<CreateBody>(req);
    const doc = await opCreate(
      col,
      body.sessionId,
      body.language,
      body.metadata ?? {},
    );
    return send(res, 201, toSessionView(doc), {
      location: `/sessions/${encodeURIComponent(body.sessionId)}`,
    });
  }
  if (req.method === 'POST' && parts.length === 4 && parts[3] === 'events') {
    const body = await readJson<AppendBody>(req);
    const appended = await opAppend(col, sessionId, body);
    if (appended) {
      return send(res, 201, toEventView(appended.event, appended.seq), {
        location: `/sessions/${encodeURIComponent(sessionId)}/events/${encodeURIComponent(body.eventId)}`,
      });
    }
    const found = await opLookupEvent(col, sessionId, body.eventId);
    if (!found) return send(res, 404, { code: 'SESSION_NOT_FOUND' });
    if (!found.event) return send(res, 409, { code: 'SESSION_CLOSED_OR_FULL' });
    return send(res, 200, toEventView(found.event, found.index + 1), {
      'idempotent-replayed': 'true',
    });
  }
  if (req.method === 'GET' && parts.length === 4 && parts[3] === 'events') {
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const after = Number(params.get('after') ?? 0);
    const limit = Number(params.get('limit') ?? 50);
    const doc = await opPage(col, sessionId, after, limit);
    if (!doc) return send(res, 404, { code: 'SESSION_NOT_FOUND' });
    return send(res, 200, pageView(doc, after));
  }
  return send(res, 404, { code: 'NOT_FOUND' });
}

async function main() {
  preload();
  const client = await connect(process.env.BENCH_URI ?? '');
  const col = sessionsOf(client);
  await client.db().command({ ping: 1 });
  const server = createServer((req, res) => {
    handle(col, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        send(res, 500, {
          code: 'INTERNAL',
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    toParent({ type: 'ready', port, pid: process.pid });
  });
  process.on('message', (msg: ParentMessage) => {
    if (msg.type === 'exit') {
      server.close();
      void client.close().finally(() => process.exit(0));
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
