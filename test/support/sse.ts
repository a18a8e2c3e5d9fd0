import { request as httpRequest, type IncomingMessage } from 'node:http';

/** One Server-Sent Events message, as the wire format defines it (comments kept apart). */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * A raw HTTP client of an event stream (node:http, no EventSource): it keeps
 * every message and comment in arrival order, and can drop the connection.
 */
export class RawStream {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  retry?: number;
  ended = false;
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    response.on('end', () => {
      this.ended = true;
      this.wake();
    });
    response.on('error', () => undefined);
  }

  static open(
    baseUrl: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; stream: RawStream; body?: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        new URL(path, baseUrl),
        { headers: { accept: 'text/event-stream', ...headers }, agent: false },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status === 200) {
            resolve({ status, stream: new RawStream(response) });
            return;
          }
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (c: string) => (body += c));
          response.on('end', () =>
            resolve({ status, stream: new RawStream(response), body }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  get events(): Array<{ seq: number; data: Record<string, unknown> }> {
    return this.messages
      .filter((m) => m.event === 'event')
      .map((m) => ({
        seq: Number(m.id),
        data: JSON.parse(m.data) as Record<string, unknown>,
      }));
  }

  get lastId(): string | undefined {
    return this.messages.filter((m) => m.id !== undefined).at(-1)?.id;
  }

  /** Resolves once `done()` holds (checked after every chunk), or fails after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.ended && !done()) throw new Error('stream ended first');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting on the stream');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server has ended the response. */
  async untilEnded(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Drops the connection, as a client that goes away does. */
  drop(): void {
    this.response.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const message: SseMessage = { event: 'message', data: '' };
      let isMessage = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'retry') this.retry = Number(value);
        else if (field === 'id') message.id = value;
        else if (field === 'event') message.event = value;
        else if (field === 'data') {
          message.data += message.data ? `\n${value}` : value;
          isMessage = true;
        }
      }
      if (isMessage) this.messages.push(message);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Appends `count` events to a session, one after the other, `gapMs` apart. */
export async function appendSeries(
  post: (body: Record<string, unknown>) => Promise<unknown>,
  count: number,
  gapMs = 0,
  prefix = 'ev',
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await post({
      eventId: `${prefix}-${i}`,
      type: 'user_speech',
      payload: { i },
      timestamp: '2026-11-25T10:00:01.000Z',
    });
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
}
