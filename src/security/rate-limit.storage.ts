import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<
  ReturnType<ThrottlerStorage['increment']>
>;

/** One tracker's hits in one throttler's window. */
interface Window {
  /** Expiry times of the hits, oldest first; live hits start at `head`. */
  expiries: number[];
  head: number;
  /** When X-RateLimit-Reset says the window resets (renewed for a ttl once past). */
  resetAt: number;
  blockedUntil: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The throttler's in-memory sliding window, at a constant cost per request.
 * It counts what @nestjs/throttler's default storage counts (each hit expires
 * `ttl` after it; the hit past `limit` blocks the tracker for
 * `blockDuration`, after which counting starts again), but that storage
 * filters every hit of the window on every request, so a client near a limit
 * of thousands paid thousands of steps per request. Expiry times only ever
 * grow for a given ttl, so live hits are a suffix of the list and expired
 * ones are dropped from the front.
 */
export class SlidingWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private sweeper?: NodeJS.Timeout;

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window) {
      window = { expiries: [], head: 0, resetAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
      this.sweeper ??= setInterval(
        () => this.evictIdle(Date.now()),
        SWEEP_INTERVAL_MS,
      ).unref();
    }
    dropExpired(window, now);
    if (window.resetAt <= now) window.resetAt = now + ttl;
    if (window.blockedUntil !== 0 && window.blockedUntil <= now) {
      // The block is over: the window starts again with this hit.
      window.expiries = [];
      window.head = 0;
      window.blockedUntil = 0;
    }
    if (window.blockedUntil === 0) window.expiries.push(now + ttl);
    const totalHits = window.expiries.length - window.head;
    if (window.blockedUntil === 0 && totalHits > limit) {
      window.blockedUntil = now + blockDuration;
    }
    const isBlocked = window.blockedUntil !== 0;
    return Promise.resolve({
      totalHits,
      timeToExpire: Math.ceil((window.resetAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked
        ? Math.ceil((window.blockedUntil - now) / 1000)
        : 0,
    });
  }

  /** How many trackers are remembered. */
  get size(): number {
    return this.windows.size;
  }

  /** Forgets trackers with no live hit and no block, so memory follows live clients. */
  evictIdle(now: number): void {
    for (const [id, window] of this.windows) {
      dropExpired(window, now);
      const blocked = window.blockedUntil > now;
      if (!blocked && window.head === window.expiries.length) {
        this.windows.delete(id);
      }
    }
  }
}

function dropExpired(window: Window, now: number): void {
  const { expiries } = window;
  while (window.head < expiries.length && expiries[window.head] <= now) {
    window.head++;
  }
  // Compact once the dead prefix is the larger part: amortised O(1) per hit.
  if (window.head > 64 && window.head * 2 > expiries.length) {
    window.expiries = expiries.slice(window.head);
    window.head = 0;
  }
}
