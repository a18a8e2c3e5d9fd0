import type { StoredEvent } from '../schemas/session.schema';
import type { StoredSessionView } from '../session.mapper';
import { SessionTail, type TailRead } from './session-tail';

const event = (seq: number): StoredEvent => ({
  eventId: `e${seq}`,
  type: 'system',
  payload: {},
  timestamp: new Date(0),
  receivedAt: new Date(0),
});
const view = (
  eventCount: number,
  status: StoredSessionView['status'] = 'active',
) => ({ sessionId: 's1', status, eventCount }) as StoredSessionView;

/** A session of `count()` events whose reads slice like the database does. */
function fakeSession(count: () => number, status = () => 'active' as const) {
  return jest.fn(
    (_id: string, after: number, limit: number): Promise<TailRead | null> => {
      const to = Math.min(count(), after + limit);
      const events = [];
      for (let seq = after + 1; seq <= to; seq++) events.push(event(seq));
      return Promise.resolve({ ...view(count(), status()), events });
    },
  );
}

const listener = (): { changed: jest.Mock; failed: jest.Mock } => ({
  changed: jest.fn(),
  failed: jest.fn(),
});

describe('SessionTail', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const options = {
    intervalMs: 100,
    stallTimeoutMs: 1000,
    batch: 10,
    onPoll: jest.fn(),
  };

  it('polls once per interval however many streams listen, each poll after the last seq it read', async () => {
    let count = 2;
    const read = fakeSession(() => count);
    const tail = new SessionTail('s1', view(2), read, options, jest.fn());
    const [a, b] = [listener(), listener()];
    tail.add(a);
    tail.add(b);

    await jest.advanceTimersByTimeAsync(350);
    expect(read).toHaveBeenCalledTimes(3);
    expect(read.mock.calls.map((call) => call[1])).toEqual([2, 2, 2]);
    expect(a.changed).not.toHaveBeenCalled();

    count = 5;
    await jest.advanceTimersByTimeAsync(100);
    expect(read).toHaveBeenLastCalledWith('s1', 2, 10);
    expect(a.changed).toHaveBeenCalledTimes(1);
    expect(b.changed).toHaveBeenCalledTimes(1);
    expect(tail.eventsFrom(3)?.map((e) => e.eventId)).toEqual([
      'e3',
      'e4',
      'e5',
    ]);
    expect(tail.eventsFrom(4)?.map((e) => e.eventId)).toEqual(['e4', 'e5']);
    expect(tail.eventsFrom(2)).toBeUndefined();
    expect(tail.eventsFrom(6)).toBeUndefined();

    await jest.advanceTimersByTimeAsync(100);
    expect(read).toHaveBeenLastCalledWith('s1', 5, 10);
  });

  it('reads on at once while more events are stored than one read returns', async () => {
    const read = fakeSession(() => 25);
    const tail = new SessionTail('s1', view(0), read, options, jest.fn());
    tail.add(listener());
    await jest.advanceTimersByTimeAsync(150);
    expect(read.mock.calls.map((call) => call[1])).toEqual([0, 10, 20]);
  });

  it('stops polling when the last listener leaves, and says so', async () => {
    const read = fakeSession(() => 0);
    const onStop = jest.fn();
    const tail = new SessionTail('s1', view(0), read, options, onStop);
    const a = listener();
    tail.add(a);
    await jest.advanceTimersByTimeAsync(100);
    tail.remove(a);
    await jest.advanceTimersByTimeAsync(1000);
    expect(read).toHaveBeenCalledTimes(1);
    expect(onStop).toHaveBeenCalledWith(tail);
  });

  it('stops polling once the session is closed and every event was read', async () => {
    const read = fakeSession(
      () => 1,
      () => 'completed' as never,
    );
    const tail = new SessionTail('s1', view(0), read, options, jest.fn());
    const a = listener();
    tail.add(a);
    await jest.advanceTimersByTimeAsync(1000);
    expect(read).toHaveBeenCalledTimes(1);
    expect(tail.finished).toBe(true);
    expect(a.changed).toHaveBeenCalledTimes(1);
  });

  it('retries a failing database, and fails its listeners once it has not answered for the stall timeout', async () => {
    const read = jest.fn(() => Promise.reject(new Error('down')));
    const tail = new SessionTail('s1', view(0), read, options, jest.fn());
    const a = listener();
    tail.add(a);
    await jest.advanceTimersByTimeAsync(800);
    expect(a.failed).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(400);
    expect(a.failed).toHaveBeenCalledTimes(1);
    const calls = read.mock.calls.length;
    await jest.advanceTimersByTimeAsync(1000);
    expect(read).toHaveBeenCalledTimes(calls);
  });

  it('fails its listeners when a read hangs past the stall timeout', async () => {
    const read = jest.fn(() => new Promise<never>(() => undefined));
    const tail = new SessionTail('s1', view(0), read, options, jest.fn());
    const a = listener();
    tail.add(a);
    await jest.advanceTimersByTimeAsync(1200);
    expect(read).toHaveBeenCalledTimes(1);
    expect(a.failed).toHaveBeenCalledTimes(1);
  });
});
