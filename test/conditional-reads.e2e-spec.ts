import { createTestApp, type TestAgent, type TestApp } from './support/app';
import { createSession, eventBody } from './support/fixtures';

/** ETag / If-None-Match -> 304, and Cache-Control by whether a representation can still change. */
describe('Conditional reads', () => {
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
  });
  afterAll(() => t.close());

  const REVALIDATE = 'private, no-cache';
  const FOREVER = 'private, max-age=31536000';
  const append = (sessionId: string, eventId: string) =>
    http
      .post(`/sessions/${sessionId}/events`)
      .send(eventBody({ eventId }))
      .expect(201);

  describe.each([
    ['GET /sessions/{id}', (id: string) => `/sessions/${id}`],
    ['GET /sessions/{id}/events', (id: string) => `/sessions/${id}/events`],
    [
      'GET /sessions/{id}?order=desc',
      (id: string) => `/sessions/${id}?order=desc&limit=2`,
    ],
    [
      'GET /sessions/{id}/events?order=desc',
      (id: string) => `/sessions/${id}/events?order=desc`,
    ],
  ])('%s', (_name, path) => {
    it('answers with a strong ETag; the same tag in If-None-Match gets 304 without a body', async () => {
      const sessionId = await createSession(http);
      await append(sessionId, 'e1');
      const first = await http.get(path(sessionId)).expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers['cache-control']).toBe(REVALIDATE);

      const again = await http.get(path(sessionId)).expect(200);
      expect(again.headers.etag).toBe(etag);

      const cached = await http
        .get(path(sessionId))
        .set('If-None-Match', etag)
        .expect(304);
      expect(cached.text).toBe('');
      expect(cached.headers.etag).toBe(etag);
      expect(cached.headers['cache-control']).toBe(REVALIDATE);

      // Weak comparison, lists and * match too; another tag does not.
      await http
        .get(path(sessionId))
        .set('If-None-Match', `W/${etag}`)
        .expect(304);
      await http
        .get(path(sessionId))
        .set('If-None-Match', `"other", ${etag}`)
        .expect(304);
      await http.get(path(sessionId)).set('If-None-Match', '*').expect(304);
      await http
        .get(path(sessionId))
        .set('If-None-Match', '"other"')
        .expect(200);
    });

    it('changes the tag after an append and after the close, then caches the closed session for long', async () => {
      const sessionId = await createSession(http);
      const empty = (await http.get(path(sessionId)).expect(200)).headers.etag;
      await append(sessionId, 'e1');
      const appended = await http
        .get(path(sessionId))
        .set('If-None-Match', empty)
        .expect(200);
      const afterAppend = appended.headers.etag;
      expect(afterAppend).not.toBe(empty);
      expect(appended.body.events).toHaveLength(1);

      await http.post(`/sessions/${sessionId}/complete`).send({}).expect(200);
      const closed = await http
        .get(path(sessionId))
        .set('If-None-Match', afterAppend)
        .expect(200);
      expect(closed.headers.etag).not.toBe(afterAppend);
      expect(closed.headers['cache-control']).toBe(FOREVER);
      const cached = await http
        .get(path(sessionId))
        .set('If-None-Match', closed.headers.etag)
        .expect(304);
      expect(cached.headers['cache-control']).toBe(FOREVER);
    });
  });

  it('gives each page of one session its own tag', async () => {
    const sessionId = await createSession(http);
    for (const id of ['e1', 'e2', 'e3']) await append(sessionId, id);
    const tags = await Promise.all(
      [
        '',
        '?limit=1',
        '?after=1',
        '?order=desc',
        '?order=desc&before=3',
        '?limit=50',
      ].map(
        async (query) =>
          (await http.get(`/sessions/${sessionId}/events${query}`).expect(200))
            .headers.etag,
      ),
    );
    // `?limit=50` is the default page: the same representation, the same tag.
    expect(tags[5]).toBe(tags[0]);
    expect(new Set(tags.slice(0, 5)).size).toBe(5);
    const session = await http.get(`/sessions/${sessionId}`).expect(200);
    expect(tags).not.toContain(session.headers.etag);
  });

  describe('GET /sessions/{id}/events/{eventId}', () => {
    it('tags a stored event for good: the tag survives appends and the close, and it is cached for long', async () => {
      const sessionId = await createSession(http);
      await append(sessionId, 'e1');
      const first = await http
        .get(`/sessions/${sessionId}/events/e1`)
        .expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers['cache-control']).toBe(FOREVER);

      await append(sessionId, 'e2');
      await http.post(`/sessions/${sessionId}/fail`).send({}).expect(200);
      const cached = await http
        .get(`/sessions/${sessionId}/events/e1`)
        .set('If-None-Match', etag)
        .expect(304);
      expect(cached.text).toBe('');
      const other = await http
        .get(`/sessions/${sessionId}/events/e2`)
        .expect(200);
      expect(other.headers.etag).not.toBe(etag);
    });
  });

  it('sends no entity tag with problems, nor Express body-hash tags elsewhere', async () => {
    const missing = await http
      .get('/sessions/nope')
      .set('If-None-Match', '*')
      .expect(404);
    expect(missing.headers.etag).toBeUndefined();
    const list = await http.get('/sessions').expect(200);
    expect(list.headers.etag).toBeUndefined();
  });
});
