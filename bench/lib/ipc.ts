import type { LatencySummary } from './measure';

/** The messages between bench/run.ts and its comparator processes (L1, L2). */

export type OpKind = 'create' | 'append' | 'replay' | 'page';

/** What one L1 window runs. */
export interface L1Spec {
  op: OpKind;
  /** Prefix of the ids this window creates (sessions or events). */
  tag: string;
  /** Sessions to use in rotation; append windows use each entry once. */
  ids?: string[];
  /** One session that takes every append. */
  hot?: string;
  /** The seeded event a replay sends again. */
  eventIndex?: number;
  after?: number;
  limit?: number;
}

/**
 * A window: warm-up then a timed measurement, or (with `amount`) exactly that
 * many operations, all measured.
 */
export interface L1Run {
  type: 'run';
  id: number;
  spec: L1Spec;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  amount?: number;
}

export interface L1Result {
  count: number;
  errors: number;
  firstError?: string;
  started: number;
  /** Entries of `spec.ids` taken (the rest go back to their pool). */
  used: number;
  wrapped: boolean;
  elapsedMs: number;
  cpuMs: number;
  latency: LatencySummary;
}

export type ParentMessage = L1Run | { type: 'exit' };

export type ChildMessage =
  | { type: 'ready'; pid: number; port?: number }
  | { type: 'mark'; id: number; phase: 'start' | 'end' }
  | { type: 'result'; id: number; result?: L1Result; error?: string };

/** Sends a message to the parent (comparators are always forked with IPC). */
export function toParent(message: ChildMessage): void {
  if (!process.send) throw new Error('not started with an IPC channel');
  process.send(message);
}
