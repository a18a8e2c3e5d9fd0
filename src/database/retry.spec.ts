import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseTimeoutError, remainingMs, withDeadline } from './deadline';
import { LostRaceError } from './mongo-errors';
import { retryTransient } from './retry';

describe('retryTransient()', () => {
  it('runs the operation again after a transient error', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      if (++calls < 3) throw new LostRaceError('lost');
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('throws other errors at once', async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });

  it('stops retrying before the request deadline, and does nothing after it', async () => {
    let calls = 0;
    const slowLoser = async () => {
      calls++;
      await sleep(40);
      throw new LostRaceError('lost');
    };
    const started = Date.now();
    await expect(
      withDeadline(100, () => retryTransient(slowLoser)),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(150);
    const callsAtDeadline = calls;
    await sleep(200);
    expect(calls).toBeLessThanOrEqual(callsAtDeadline + 1);
  });
});

describe('withDeadline()', () => {
  it('rejects with DatabaseTimeoutError when the work outlasts the bound', async () => {
    const started = Date.now();
    await expect(withDeadline(50, () => sleep(1000))).rejects.toBeInstanceOf(
      DatabaseTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('tells the work how much time is left, and nothing outside it', async () => {
    const left = await withDeadline(1000, async () => remainingMs());
    expect(left).toBeGreaterThan(900);
    expect(left).toBeLessThanOrEqual(1000);
    expect(remainingMs()).toBe(Infinity);
  });
});
