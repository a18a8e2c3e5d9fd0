import { eventTag, noneMatchHits, pageTag, type TaggedState } from './etag';
import type { EventPageRequest } from './rules/pages';

describe('pageTag()', () => {
  const state: TaggedState = {
    status: 'active',
    eventCount: 3,
    updatedAt: new Date('2026-11-25T10:00:00.000Z'),
  };
  const page: EventPageRequest = { order: 'asc', limit: 50 };
  const tag = pageTag('events', state, page);

  it('is a quoted strong tag, the same for the same state and page', () => {
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(pageTag('events', { ...state }, { ...page, after: 0 })).toBe(tag);
  });

  it.each([
    ['status', { ...state, status: 'completed' as const }, page],
    ['eventCount', { ...state, eventCount: 4 }, page],
    ['updatedAt', { ...state, updatedAt: new Date(1) }, page],
    ['after', state, { ...page, after: 1 }],
    ['limit', state, { ...page, limit: 10 }],
    ['order', state, { ...page, order: 'desc' as const }],
  ])('changes with %s', (_what, changedState, changedPage) => {
    expect(pageTag('events', changedState, changedPage)).not.toBe(tag);
  });

  it('differs between the session and its events page', () => {
    expect(pageTag('session', state, page)).not.toBe(tag);
  });

  it('tells desc pages apart by before', () => {
    const desc = { order: 'desc' as const, limit: 5 };
    expect(pageTag('events', state, desc)).not.toBe(
      pageTag('events', state, { ...desc, before: 3 }),
    );
  });
});

describe('eventTag()', () => {
  it('depends on the seq and the storage time only', () => {
    const at = new Date(5);
    expect(eventTag(1, at)).toBe(eventTag(1, new Date(5)));
    expect(eventTag(2, at)).not.toBe(eventTag(1, at));
    expect(eventTag(1, new Date(6))).not.toBe(eventTag(1, at));
  });
});

describe('noneMatchHits()', () => {
  const tag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    [' "x" ,W/"abc" ', true],
    ['*', true],
    ['"abd"', false],
    ['abc', false],
    ['', false],
    [undefined, false],
  ])('If-None-Match %p -> %p', (header, hit) => {
    expect(noneMatchHits(header, tag)).toBe(hit);
  });
});
