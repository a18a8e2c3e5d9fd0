import { SlidingWindowStorage } from './rate-limit.storage';

const TTL = 60_000;
const LIMIT = 3;

describe('SlidingWindowStorage', () => {
  let storage: SlidingWindowStorage;
  let now: number;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    storage = new SlidingWindowStorage();
  });
  afterEach(() => jest.restoreAllMocks());

  const hit = (key = 'ip:1') =>
    storage.increment(key, TTL, LIMIT, TTL, 'default');

  describe('increment()', () => {
    it('admits `limit` hits in a window and blocks the next for blockDuration', async () => {
      for (let i = 1; i <= LIMIT; i++) {
        await expect(hit()).resolves.toMatchObject({
          totalHits: i,
          isBlocked: false,
        });
      }
      await expect(hit()).resolves.toEqual({
        totalHits: LIMIT + 1,
        timeToExpire: 60,
        isBlocked: true,
        timeToBlockExpire: 60,
      });
      now += TTL - 1;
      await expect(hit()).resolves.toMatchObject({
        isBlocked: true,
        timeToBlockExpire: 1,
      });
    });

    it('counts again from one once the block is over', async () => {
      for (let i = 0; i <= LIMIT; i++) await hit();
      now += TTL;
      await expect(hit()).resolves.toMatchObject({
        totalHits: 1,
        isBlocked: false,
      });
    });

    it('lets each hit expire ttl after it was made (a sliding window)', async () => {
      await hit();
      now += 30_000;
      await hit();
      await hit();
      now += 30_000; // the first hit has expired, the other two have not
      await expect(hit()).resolves.toMatchObject({
        totalHits: 3,
        isBlocked: false,
      });
    });

    it('keeps trackers apart', async () => {
      for (let i = 0; i <= LIMIT; i++) await hit('ip:1');
      await expect(hit('ip:2')).resolves.toMatchObject({
        totalHits: 1,
        isBlocked: false,
      });
    });

    it('stays exact across many windows of hits', async () => {
      // 10 hits a second for 5 minutes under a limit of 1000 per minute:
      // never blocked, and 600 hits live at the end of each minute.
      let last = { totalHits: 0, isBlocked: false };
      for (let i = 0; i < 3000; i++) {
        now += 100;
        last = await storage.increment('k', TTL, 1000, TTL, 'default');
        expect(last.isBlocked).toBe(false);
      }
      expect(last.totalHits).toBe(600);
    });
  });

  describe('evictIdle()', () => {
    it('forgets trackers without live hits and keeps the others', async () => {
      await hit('ip:old');
      now += TTL;
      await hit('ip:new');
      storage.evictIdle(now);
      expect(storage.size).toBe(1);
      await expect(hit('ip:new')).resolves.toMatchObject({ totalHits: 2 });
    });

    it('keeps a blocked tracker until its block is over', async () => {
      const block = () =>
        storage.increment('ip:b', TTL, LIMIT, 2 * TTL, 'default');
      for (let i = 0; i <= LIMIT; i++) await block();
      now += TTL; // every hit has expired, the block has not
      storage.evictIdle(now);
      expect(storage.size).toBe(1);
      now += TTL;
      storage.evictIdle(now);
      expect(storage.size).toBe(0);
    });
  });
});
