import {
  seededEvents,
  seededSession,
  type SessionCollection,
} from './workload';

/**
 * Session pools. An append pool holds sessions seeded at N events; each
 * session may take at most `cap` appends during the run (under 5% of N;
 * exactly one at N = 0), handed out in rotation so that consecutive requests
 * hit different documents. Pools grow (more seeded sessions) when a window
 * would need more room than they have.
 */

/** Inserts seeded sessions of n events each: batches of about 8 MB, two in flight. */
export async function insertSessions(
  col: SessionCollection,
  ids: string[],
  n: number,
): Promise<void> {
  const { bytes } = seededEvents(n);
  const per = Math.max(1, Math.min(2000, Math.floor(8e6 / (bytes + 400))));
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += per) batches.push(ids.slice(i, i + per));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      await col.insertMany(
        batch.map((id) => seededSession(id, n)),
        { ordered: false },
      );
    }
  };
  await Promise.all([lane(), lane()]);
}

export class AppendPool {
  readonly ids: string[] = [];
  readonly uses: number[] = [];
  private queue: number[] = [];
  private head = 0;
  private free = 0;
  overflow = 0;
  seedMs = 0;

  /**
   * @param cap appends (or batches) one session may take; by default under
   *   5% of N, and one on an empty session.
   */
  constructor(
    private readonly col: SessionCollection,
    readonly name: string,
    readonly n: number,
    readonly cap = n === 0 ? 1 : Math.max(1, Math.floor(0.045 * n)),
  ) {}

  private async grow(count: number): Promise<void> {
    const t = Date.now();
    const start = this.ids.length;
    const ids = Array.from(
      { length: count },
      (_, i) => `${this.name}-${start + i}`,
    );
    await insertSessions(this.col, ids, this.n);
    for (let i = 0; i < count; i++) {
      this.ids.push(ids[i]);
      this.uses.push(0);
      this.queue.push(start + i);
    }
    this.free += count * this.cap;
    this.seedMs += Date.now() - t;
  }

  /** Makes room for `expected` more appends; returns how many sessions it added. */
  async ensure(expected: number): Promise<number> {
    if (this.free >= expected) return 0;
    const more = Math.ceil((expected - this.free) / this.cap);
    await this.grow(more);
    return more;
  }

  /** Index of the session the next append goes to. */
  take(): number {
    if (this.head >= this.queue.length) {
      // Out of room (the estimate was short): reuse, and report it.
      this.overflow++;
      const idx = this.overflow % this.ids.length;
      this.uses[idx]++;
      return idx;
    }
    const idx = this.queue[this.head++];
    this.uses[idx]++;
    this.free--;
    if (this.uses[idx] < this.cap) this.queue.push(idx);
    if (this.head > 100_000) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return idx;
  }

  /** The session id of the next append. */
  takeId(): string {
    return this.ids[this.take()];
  }

  /** Returns taken-but-unused slots (L1 takes its list before it runs). */
  giveBack(indices: number[]): void {
    for (const idx of indices) {
      this.uses[idx]--;
      this.free++;
      if (this.uses[idx] === this.cap - 1) this.queue.push(idx);
    }
  }

  maxUses(): number {
    return this.uses.reduce((m, u) => Math.max(m, u), 0);
  }

  usedCount(): number {
    return this.uses.filter((u) => u > 0).length;
  }
}

/** A few seeded sessions that reads go to in rotation (reads change nothing). */
export class ReadPool {
  readonly ids: string[];
  private i = 0;

  constructor(
    readonly name: string,
    readonly n: number,
    size: number,
  ) {
    this.ids = Array.from({ length: size }, (_, i) => `${name}-${i}`);
  }

  async seed(col: SessionCollection): Promise<void> {
    await insertSessions(col, this.ids, this.n);
  }

  next(): string {
    return this.ids[this.i++ % this.ids.length];
  }
}
