import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AppendBody } from '../workload';

/**
 * The HTTP side of the stream benchmark: JSON requests (fetch), a raw
 * Server-Sent Events client (node:http, one connection per stream, as a
 * browser's EventSource holds one), and the service's own counters.
 */

async function send(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

export async function createSession(
  url: string,
  sessionId: string,
): Promise<void> {
  const r = await send(url, 'POST', '/sessions', { sessionId, language: 'en' });
  if (r.status !== 201)
    throw new Error(`create ${sessionId}: ${r.status} ${r.text}`);
}

export async function appendEvent(
  url: string,
  sessionId: string,
  body: AppendBody,
): Promise<void> {
  const r = await send(url, 'POST', `/sessions/${sessionId}/events`, body);
  if (r.status !== 201)
    throw new Error(`append to ${sessionId}: ${r.status} ${r.text}`);
}

/** The service's Prometheus counters and gauges, by series (`name{labels}`). */
export async function scrape(url: string): Promise<Map<string, number>> {
  const r = await send(url, 'GET', '/metrics');
  if (r.status !== 200) throw new Error(`GET /metrics: ${r.status}`);
  const series = new Map<string, number>();
  for (const line of r.text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    series.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return series;
}

/** The sum of a metric's series whose labels include every one of `labels` (e.g. `kind="poll"`). */
export function metricValue(
  series: Map<string, number>,
  name: string,
  ...labels: string[]
): number {
  let total = 0;
  for (const [key, value] of series) {
    const brace = key.indexOf('{');
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (labels.every((label) => key.includes(label))) total += value;
  }
  return total;
}

/** One open stream: its `event` messages go to `onEvent(seq)`; `close()` ends it. */
export interface OpenStream {
  close(): void;
}

/**
 * Opens GET /sessions/{id}/stream and resolves once the service answered 200
 * (it decides everything that can refuse a stream before the first byte).
 */
export function openStream(
  url: string,
  sessionId: string,
  onEvent: (seq: number) => void,
): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = get(
      `${url}/sessions/${sessionId}/stream`,
      { agent: false, headers: { accept: 'text/event-stream' } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`stream of ${sessionId}: ${res.statusCode}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut).split('\n');
            buffer = buffer.slice(cut + 2);
            if (!frame.includes('event: event')) continue;
            const id = frame.find((l) => l.startsWith('id: '));
            if (id) onEvent(Number(id.slice(4)));
          }
        });
        res.on('error', () => undefined);
        resolve({ close: () => req.destroy() });
      },
    );
    req.on('error', reject);
  });
}

/** Opens one stream per session id, `concurrency` opening at once. */
export async function openStreams(
  url: string,
  sessionIds: string[],
  concurrency = 50,
): Promise<OpenStream[]> {
  const streams: OpenStream[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sessionIds.length) {
      const sessionId = sessionIds[next++];
      streams.push(await openStream(url, sessionId, () => undefined));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } catch (error) {
    closeAll(streams);
    throw error;
  }
  return streams;
}

export function closeAll(streams: OpenStream[]): void {
  for (const stream of streams) stream.close();
}
