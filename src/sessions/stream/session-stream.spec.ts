import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import type { StoredEvent } from '../schemas/session.schema';
import type { StoredSessionView } from '../session.mapper';
import { SessionStream, type StreamOptions } from './session-stream';
import type { SessionTail, TailRead } from './session-tail';

const event = (seq: number): StoredEvent => ({
  eventId: `e${seq}`,
  type: 'system',
  payload: {},
  timestamp: new Date(0),
  receivedAt: new Date(0),
});
const session = (
  eventCount: number,
  status: StoredSessionView['status'] = 'active',
) =>
  ({
    sessionId: 's1',
    status,
    language: 'en',
    metadata: {},
    startedAt: new Date(0),
    endedAt: null,
    eventCount,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  }) as StoredSessionView;

/** An Express response that records what is written; `accepting` is what write() answers. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  ended = false;
  accepting = true;
  status = jest.fn(() => this);
  setHeader = jest.fn();
  flushHeaders = jest.fn();
  write(chunk: string): boolean {
    this.written.push(chunk);
    return this.accepting;
  }
  end(): void {
    this.ended = true;
  }
  ids(): number[] {
    return this.written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('id: '))
      .map((line) => Number(line.slice(4)));
  }
}

describe('SessionStream', () => {
  let response: FakeResponse;
  let tail: {
    session: StoredSessionView;
    sessionId: string;
    eventsFrom: jest.Mock;
    remove: jest.Mock;
  };
  let read: jest.Mock<Promise<TailRead | null>, [string, number, number]>;
  let options: StreamOptions;

  beforeEach(() => {
    response = new FakeResponse();
    tail = {
      session: session(0),
      sessionId: 's1',
      eventsFrom: jest.fn(),
      remove: jest.fn(),
    };
    read = jest.fn((_id: string, after: number, limit: number) => {
      const to = Math.min(tail.session.eventCount, after + limit);
      const events: StoredEvent[] = [];
      for (let seq = after + 1; seq <= to; seq++) events.push(event(seq));
      return Promise.resolve({ ...tail.session, events });
    });
    options = {
      read,
      batch: 2,
      stallTimeoutMs: 50,
      heartbeatMs: 10_000,
      onDelivered: jest.fn(),
      onCatchUpRead: jest.fn(),
      onClose: jest.fn(),
    };
  });

  const opened: SessionStream[] = [];
  afterEach(() => opened.forEach((stream) => stream.close()));

  const open = (after: number, first: StoredEvent[]) => {
    const stream = new SessionStream(
      response as unknown as Response,
      tail as unknown as SessionTail,
      after,
      options,
    );
    stream.start({ ...tail.session, events: first });
    opened.push(stream);
    return stream;
  };
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('catches up by reads of its own after the first read, then serves from the tail', async () => {
    tail.session = session(5);
    const stream = open(0, [event(1), event(2)]);
    await settle();
    expect(response.ids()).toEqual([1, 2, 3, 4, 5]);
    expect(read.mock.calls.map((call) => call[1])).toEqual([2, 4]);

    tail.session = session(7);
    tail.eventsFrom.mockImplementation((from: number) =>
      from === 6 ? [event(6), event(7)] : undefined,
    );
    stream.changed();
    await settle();
    expect(response.ids()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('never repeats an event when the tail reports what it already sent', async () => {
    tail.session = session(2);
    const stream = open(0, [event(1), event(2)]);
    await settle();
    tail.eventsFrom.mockReturnValue(undefined);
    stream.changed();
    stream.changed();
    await settle();
    expect(response.ids()).toEqual([1, 2]);
  });

  it('sends end with the session once closed and fully sent, and closes', async () => {
    tail.session = session(1, 'completed');
    open(0, [event(1)]);
    await settle();
    expect(response.written.join('')).toContain(
      'event: end\ndata: {"sessionId":"s1","status":"completed"',
    );
    expect(response.ended).toBe(true);
    expect(tail.remove).toHaveBeenCalled();
    expect(options.onClose).toHaveBeenCalledTimes(1);
  });

  it('lets go of a client that stops reading, after the stall timeout', async () => {
    tail.session = session(4);
    response.accepting = false;
    open(0, [event(1), event(2)]);
    await new Promise((r) => setTimeout(r, 100));
    expect(response.ended).toBe(true);
    expect(options.onClose).toHaveBeenCalledTimes(1);
  });

  it('ends, without end, when a read of its own fails', async () => {
    tail.session = session(4);
    read.mockRejectedValue(new Error('down'));
    open(0, []);
    await settle();
    expect(response.ended).toBe(true);
    expect(response.written.join('')).not.toContain('event: end');
  });
});
