import type { mongo } from 'mongoose';
import { benchAppendFilter } from './operations';
import type { AppendPool } from './pools';
import type { SessionCollection } from './workload';

/** What the run reads about the engine and the data: context for the figures. */

const message = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

export async function describeEngine(
  client: mongo.MongoClient,
): Promise<string> {
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret =
      (info.ferretdb as { version?: string } | undefined)?.version ??
      (info.ferretdbVersion as string | undefined);
    return ferret
      ? `FerretDB ${ferret} (MongoDB ${info.version} wire API) on PostgreSQL + DocumentDB`
      : `MongoDB ${info.version}`;
  } catch (error) {
    return `unknown (${message(error)})`;
  }
}

/**
 * The index the engine picks for the append's filter (explain of the same
 * filter as a find; findAndModify cannot be explained on every engine).
 */
export async function appendPlan(
  db: mongo.Db,
  sessionId: string,
): Promise<string> {
  try {
    const ex = await db.command({
      explain: {
        find: 'sessions',
        filter: benchAppendFilter(sessionId, 'no-such-event', 300),
        limit: 1,
      },
      verbosity: 'queryPlanner',
    });
    const text = JSON.stringify(ex);
    const m =
      /"Index Name":"([^"]+)"/.exec(text) ??
      /"winningPlan".*?"indexName":"([^"]+)"/.exec(text) ??
      /"IndexDetails":\[\{[^\]]*?"indexName":"([^"]+)"/.exec(text);
    if (m) return m[1];
    return /COLLSCAN|Seq Scan/.test(text)
      ? 'none (collection scan)'
      : 'unknown';
  } catch (error) {
    return `unknown (${message(error)})`;
  }
}

export interface CollectionInfo {
  sessions?: number;
  open?: number;
  error?: string;
  appendIndex?: string;
}

/** Size of the collection at the end: an append's cost on some engines depends on it. */
export async function describeCollection(
  col: SessionCollection,
): Promise<CollectionInfo> {
  try {
    const [sessions, open] = await Promise.all([
      col.countDocuments({}),
      col.countDocuments({ status: { $in: ['initiated', 'active'] } }),
    ]);
    return { sessions, open };
  } catch (error) {
    return { error: message(error) };
  }
}

export interface PoolDrift {
  pool: string;
  n: number;
  sessions: number;
  sessionsUsed: number;
  capPerSession: number;
  maxAppendsPerSession: number;
  maxStoredN: number;
  maxGrowthPct: number | null;
  overflow: number;
  seedSeconds: number;
}

/** Growth of N in each pool: bookkeeping, checked against the stored eventCount of the busiest sessions. */
export async function checkDrift(
  col: SessionCollection,
  pools: AppendPool[],
): Promise<PoolDrift[]> {
  const out: PoolDrift[] = [];
  for (const p of pools) {
    if (!p.ids.length) continue;
    const busiest = p.uses
      .map((u, i) => [u, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 50)
      .map(([, i]) => p.ids[i]);
    const docs = await col
      .find(
        { sessionId: { $in: busiest } },
        { projection: { _id: 0, eventCount: 1 } },
      )
      .toArray();
    const maxStoredN = Math.max(p.n, ...docs.map((d) => d.eventCount));
    out.push({
      pool: p.name,
      n: p.n,
      sessions: p.ids.length,
      sessionsUsed: p.usedCount(),
      capPerSession: p.cap,
      maxAppendsPerSession: p.maxUses(),
      maxStoredN,
      maxGrowthPct: p.n ? ((maxStoredN - p.n) / p.n) * 100 : null,
      overflow: p.overflow,
      seedSeconds: p.seedMs / 1000,
    });
  }
  return out;
}

export function seedSummary(pools: AppendPool[]): string {
  return pools
    .filter((p) => p.ids.length)
    .map((p) => `${p.ids.length} x N=${p.n}`)
    .join(', ');
}
