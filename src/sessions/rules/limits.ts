import { mongo } from 'mongoose';
import type { SessionStatus, StoredEvent } from '../schemas/session.schema';

/*
 * The limits of the sessions API. MAX_EVENTS_PER_SESSION,
 * MAX_EVENT_PAYLOAD_BYTES and MAX_BATCH_EVENTS are configuration
 * (src/config/env.validation.ts); the rules that apply them live here all the
 * same.
 */

/** MongoDB's document limit. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** Room left for the session's own fields (metadata is at most 16 KiB). */
export const EVENTS_BYTE_BUDGET = MAX_DOCUMENT_BYTES - 64 * 1024;
/** Per-element overhead of an array entry in BSON: type byte, index key and its NUL. */
export const ARRAY_ENTRY_OVERHEAD = 8;

export const MAX_JSON_DEPTH = 32;
export const MAX_METADATA_BYTES = 16 * 1024;
export const MAX_FAILURE_REASON_LENGTH = 1024;

/** The default of MAX_BATCH_EVENTS: most events one batch append may carry. */
export const DEFAULT_MAX_BATCH_EVENTS = 500;

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

/** The statuses that still accept events and a close. */
export const OPEN_STATUSES: readonly SessionStatus[] = ['initiated', 'active'];

export function isOpen(status: SessionStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export interface AppendLimits {
  maxEvents: number;
  /** Most bytes of events the document may hold after this append. */
  byteBudget: number;
}

export function appendLimits(maxEvents: number): AppendLimits {
  return { maxEvents, byteBudget: EVENTS_BYTE_BUDGET };
}

/** What one stored event adds to its session's document, in bytes. */
export function eventSize(event: StoredEvent): number {
  return mongo.BSON.calculateObjectSize(event) + ARRAY_ENTRY_OVERHEAD;
}
