import { createHash } from 'node:crypto';
import type { EventPageRequest } from './rules/pages';
import type { SessionStatus } from './schemas/session.schema';
import { OPEN_STATUSES } from './rules/limits';

/**
 * Entity tags derived from the stored state a representation is made of,
 * never from its bytes: a session's view and pages change only through a
 * write, and every write moves eventCount, status or updatedAt. Bump the
 * version when a representation's format changes, so that old tags stop
 * matching.
 */
const REPRESENTATION_VERSION = 'v1';

/** A closed session's representations never change again; a year is "forever" for HTTP caches. */
export const CLOSED_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
export const CACHE_FINAL = `private, max-age=${CLOSED_MAX_AGE_SECONDS}`;
/** An open session's: the client may keep them but must revalidate each use. */
export const CACHE_REVALIDATE = 'private, no-cache';

/** A read's answer with what its conditional headers are made of. */
export interface Conditional<T> {
  value: T;
  /** Strong entity tag, quoted. */
  etag: string;
  /** True when this representation can never change. */
  final: boolean;
}

export interface TaggedState {
  status: SessionStatus;
  eventCount: number;
  updatedAt: Date;
}

function strongTag(parts: Array<string | number>): string {
  const digest = createHash('sha256')
    .update([REPRESENTATION_VERSION, ...parts].join('\0'))
    .digest('base64url');
  return `"${digest.slice(0, 27)}"`;
}

export function isFinal(status: SessionStatus): boolean {
  return !OPEN_STATUSES.includes(status);
}

/** The session, or one of its event pages, as `page` asks for it. */
export function pageTag(
  kind: 'session' | 'events',
  state: TaggedState,
  page: EventPageRequest,
): string {
  const position =
    page.order === 'desc' ? (page.before ?? 'newest') : (page.after ?? 0);
  return strongTag([
    kind,
    state.status,
    state.eventCount,
    state.updatedAt.getTime(),
    page.order,
    position,
    page.limit,
  ]);
}

/**
 * A stored event never changes (events are only appended), so its position
 * and storage time identify its representation for good.
 */
export function eventTag(seq: number, receivedAt: Date): string {
  return strongTag(['event', seq, receivedAt.getTime()]);
}

export function conditionalPage<T>(
  value: T,
  kind: 'session' | 'events',
  state: TaggedState,
  page: EventPageRequest,
): Conditional<T> {
  return {
    value,
    etag: pageTag(kind, state, page),
    final: isFinal(state.status),
  };
}

/**
 * RFC 9110 If-None-Match: `*`, or a list of tags compared weakly (a `W/`
 * prefix is ignored).
 */
export function noneMatchHits(
  header: string | undefined,
  etag: string,
): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((candidate) => candidate.trim().replace(/^W\//, ''))
    .includes(etag);
}
