import { createTestApp, type TestAgent, type TestApp } from './support/app';
import { createSession } from './support/fixtures';
import { appendSeries } from './support/sse';

/** Newest first: order=desc with before/nextBefore, on both read routes. */
describe('Newest-first event pages', () => {
  let t: TestApp;
  let http: TestAgent;
  let sessionId: string;
  let empty: string;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
    sessionId = await createSession(http);
    empty = await createSession(http);
    await appendSeries(
      (body) =>
        http.post(`/sessions/${sessionId}/events`).send(body).expect(201),
      7,
    );
  });
  afterAll(() => t.close());

  const seqsOf = (events: Array<{ seq: number; eventId: string }>) =>
    events.map((e) => {
      // Each seq is the event stored at that position.
      expect(e.eventId).toBe(`ev-${e.seq - 1}`);
      return e.seq;
    });

  describe.each([
    ['GET /sessions/{id}/events', (id: string) => `/sessions/${id}/events`],
    ['GET /sessions/{id}', (id: string) => `/sessions/${id}`],
  ])('%s', (_name, path) => {
    const page = async (id: string, query: string) => {
      const res = await http.get(`${path(id)}?${query}`).expect(200);
      return {
        seqs: seqsOf(res.body.events),
        next: res.body.nextBefore,
        body: res.body,
      };
    };

    it.each([
      ['order=desc', [7, 6, 5, 4, 3, 2, 1], null],
      ['order=desc&limit=3', [7, 6, 5], 5],
      ['order=desc&limit=3&before=5', [4, 3, 2], 2],
      ['order=desc&limit=3&before=4', [3, 2, 1], null],
      ['order=desc&limit=3&before=2', [1], null],
      ['order=desc&limit=3&before=1', [], null],
      ['order=desc&limit=3&before=8', [7, 6, 5], 5],
      ['order=desc&limit=3&before=1000', [7, 6, 5], 5],
      ['order=desc&limit=7', [7, 6, 5, 4, 3, 2, 1], null],
      ['order=desc&limit=6', [7, 6, 5, 4, 3, 2], 2],
      ['order=desc&limit=1&before=2', [1], null],
    ])('%s -> %j, nextBefore %p', async (query, seqs, next) => {
      const got = await page(sessionId, query);
      expect(got.seqs).toEqual(seqs);
      expect(got.next).toBe(next);
      expect(got.body).not.toHaveProperty('nextAfter');
    });

    it('pages newest first through every event exactly once, for every page size', async () => {
      for (let limit = 1; limit <= 8; limit++) {
        const seen: number[] = [];
        let before: number | null = null;
        do {
          const got = await page(
            sessionId,
            `order=desc&limit=${limit}${before === null ? '' : `&before=${before}`}`,
          );
          seen.push(...got.seqs);
          before = got.next as number | null;
        } while (before !== null);
        expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
      }
    });

    it('answers an empty session with no events and nextBefore null', async () => {
      expect(await page(empty, 'order=desc')).toMatchObject({
        seqs: [],
        next: null,
      });
      expect(await page(empty, 'order=desc&before=3')).toMatchObject({
        seqs: [],
        next: null,
      });
    });

    it('keeps oldest first as the default, with nextAfter and without nextBefore', async () => {
      const res = await http
        .get(`${path(sessionId)}?limit=3&after=2`)
        .expect(200);
      expect(seqsOf(res.body.events)).toEqual([3, 4, 5]);
      expect(res.body.nextAfter).toBe(5);
      expect(res.body).not.toHaveProperty('nextBefore');
    });

    it.each([
      ['before=3', 'before'],
      ['order=asc&before=3', 'before'],
      ['order=desc&after=3', 'after'],
      ['order=desc&after=0', 'after'],
      ['order=newest', 'order'],
      ['order=desc&before=0', 'before'],
      ['order=desc&before=-1', 'before'],
      ['order=desc&before=x', 'before'],
    ])(
      'answers %s with 400 VALIDATION_FAILED naming %s',
      async (query, field) => {
        const res = await http.get(`${path(sessionId)}?${query}`).expect(400);
        expect(res.headers['content-type']).toMatch(
          /^application\/problem\+json/,
        );
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      },
    );

    it('answers an unknown session with 404', async () => {
      const res = await http.get(`${path('no-such')}?order=desc`).expect(404);
      expect(res.body.code).toBe('SESSION_NOT_FOUND');
    });
  });

  it('returns the session view with its newest page on GET /sessions/{id}', async () => {
    const res = await http
      .get(`/sessions/${sessionId}?order=desc&limit=2`)
      .expect(200);
    expect(res.body).toMatchObject({
      sessionId,
      status: 'active',
      eventCount: 7,
      nextBefore: 6,
    });
    expect(res.body.events.map((e: { seq: number }) => e.seq)).toEqual([7, 6]);
  });
});
