import { eventSize } from '../src/sessions/session-rules';
import { createTestApp, type TestAgent, type TestApp } from './support/app';
import { createSession, eventBody, uniqueId } from './support/fixtures';

type Body = Record<string, unknown>;

describe('POST /sessions/:sessionId/events/batch', () => {
  let t: TestApp;
  let http: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.http;
  });
  afterAll(() => t.close());

  const stored = (sessionId: string) =>
    t.sessions.findOne({ sessionId }).lean().exec();
  const batch = (sessionId: string, events: unknown) =>
    http.post(`/sessions/${sessionId}/events/batch`).send({ events });
  const bodies = (n: number, overrides: Body = {}) =>
    Array.from({ length: n }, (_, i) =>
      eventBody({ eventId: uniqueId(`e${i}`), ...overrides }),
    );
  const eventsTotal = async (outcome: string): Promise<number> => {
    const res = await http.get('/metrics').expect(200);
    const match = new RegExp(
      `conversation_events_total\\{outcome="${outcome}"\\} (\\d+)`,
    ).exec(res.text);
    return match ? Number(match[1]) : 0;
  };

  /** Nothing stored by a refused batch: the document is exactly as before. */
  async function expectUnchanged(sessionId: string, send: () => unknown) {
    const before = await stored(sessionId);
    await send();
    expect(await stored(sessionId)).toEqual(before);
  }

  it('stores every new event in request order with consecutive seqs: 201, outcome created, session active', async () => {
    const sessionId = await createSession(http);
    const events = bodies(5);

    const res = await batch(sessionId, events).expect(201);

    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
    expect(res.body.events).toEqual(
      events.map((e, i) => ({
        eventId: e.eventId,
        seq: i + 1,
        type: e.type,
        payload: e.payload,
        timestamp: e.timestamp,
        receivedAt: expect.any(String),
        outcome: 'created',
      })),
    );
    const doc = await stored(sessionId);
    expect(doc!.status).toBe('active');
    expect(doc!.eventCount).toBe(5);
    expect(doc!.events.map((e) => e.eventId)).toEqual(
      events.map((e) => e.eventId),
    );
    expect(doc!.events.map((e) => e.receivedAt.toISOString())).toEqual(
      res.body.events.map((e: Body) => e.receivedAt),
    );
    // The byte count the guards rely on, as single appends keep it.
    expect(doc!.eventBytes).toBe(
      doc!.events.reduce((sum, e) => sum + eventSize(e), 0),
    );
    expect(doc!.updatedAt.getTime()).toBeGreaterThan(
      doc!.createdAt.getTime() - 1,
    );
  });

  it('continues the seqs after events stored before, and the events read back in order', async () => {
    const sessionId = await createSession(http);
    await http
      .post(`/sessions/${sessionId}/events`)
      .send(eventBody())
      .expect(201);

    const res = await batch(sessionId, bodies(3)).expect(201);

    expect(res.body.events.map((e: Body) => e.seq)).toEqual([2, 3, 4]);
    const page = await http.get(`/sessions/${sessionId}/events`).expect(200);
    expect(page.body.events.slice(1)).toEqual(
      res.body.events.map(({ outcome, ...view }: Body) => {
        expect(outcome).toBe('created');
        return view;
      }),
    );
  });

  it('stores only the new events of a partly replayed batch: 201, replays keep their seq and receivedAt', async () => {
    const sessionId = await createSession(http);
    const events = bodies(4);
    const first = await http
      .post(`/sessions/${sessionId}/events`)
      .send(events[1])
      .expect(201);
    const replayedBefore = await eventsTotal('replayed');

    const res = await batch(sessionId, events).expect(201);

    expect(res.body.events.map((e: Body) => [e.seq, e.outcome])).toEqual([
      [2, 'created'],
      [1, 'replayed'],
      [3, 'created'],
      [4, 'created'],
    ]);
    expect(res.body.events[1]).toEqual({ ...first.body, outcome: 'replayed' });
    const doc = await stored(sessionId);
    expect(doc!.events.map((e) => e.eventId)).toEqual(
      [1, 0, 2, 3].map((i) => events[i].eventId),
    );
    expect(await eventsTotal('replayed')).toBe(replayedBefore + 1);
  });

  it('answers 200 with Idempotent-Replayed when every event is stored identically, also once closed', async () => {
    const sessionId = await createSession(http);
    const events = bodies(3);
    const created = await batch(sessionId, events).expect(201);
    await http.post(`/sessions/${sessionId}/complete`).send({}).expect(200);
    const before = await stored(sessionId);

    // Same events, keys reordered and timestamps in another zone.
    const equivalent = events.map((e) => ({
      timestamp: e.timestamp.replace('T10:', 'T11:').replace('Z', '+01:00'),
      payload: e.payload,
      type: e.type,
      eventId: e.eventId,
    }));
    const res = await batch(sessionId, equivalent).expect(200);

    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(res.body.events).toEqual(
      created.body.events.map((e: Body) => ({ ...e, outcome: 'replayed' })),
    );
    expect(await stored(sessionId)).toEqual(before);
  });

  it('answers 409 EVENT_CONFLICT naming each conflicting event, and stores nothing', async () => {
    const sessionId = await createSession(http);
    const events = bodies(4);
    await batch(sessionId, [events[1], events[3]]).expect(201);
    const conflictsBefore = await eventsTotal('conflict');
    const changed = [
      events[0],
      { ...events[1], type: 'system' },
      events[2],
      { ...events[3], payload: { other: true } },
    ];

    await expectUnchanged(sessionId, async () => {
      const res = await batch(sessionId, changed).expect(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 409, code: 'EVENT_CONFLICT' });
      expect(res.body.errors.map((e: Body) => e.field)).toEqual([
        'events[1].eventId',
        'events[3].eventId',
      ]);
    });
    expect(await eventsTotal('conflict')).toBe(conflictsBefore + 2);
  });

  it('answers 409 SESSION_CLOSED for new events in a closed session, and stores nothing', async () => {
    const sessionId = await createSession(http);
    const events = bodies(2);
    await batch(sessionId, [events[0]]).expect(201);
    await http.post(`/sessions/${sessionId}/fail`).send({}).expect(200);

    await expectUnchanged(sessionId, async () => {
      const res = await batch(sessionId, events).expect(409);
      expect(res.body.code).toBe('SESSION_CLOSED');
    });
  });

  it('answers 404 SESSION_NOT_FOUND for an unknown session, and creates none', async () => {
    const sessionId = uniqueId('none');
    const res = await batch(sessionId, bodies(2)).expect(404);
    expect(res.body.code).toBe('SESSION_NOT_FOUND');
    expect(await stored(sessionId)).toBeNull();
  });

  it('counts the events it stores and replays like single appends do', async () => {
    const sessionId = await createSession(http);
    const events = bodies(3);
    const created = await eventsTotal('created');
    const replayed = await eventsTotal('replayed');

    await batch(sessionId, events).expect(201);
    await batch(sessionId, events).expect(200);

    expect(await eventsTotal('created')).toBe(created + 3);
    expect(await eventsTotal('replayed')).toBe(replayed + 3);
  });

  it('leaves the event whose eventId is "batch" readable at the batch URL', async () => {
    const sessionId = await createSession(http);
    const named = eventBody({ eventId: 'batch' });
    const created = await batch(sessionId, [named]).expect(201);

    const res = await http
      .get(`/sessions/${sessionId}/events/batch`)
      .expect(200);

    const { outcome, ...view } = created.body.events[0] as Body;
    expect(outcome).toBe('created');
    expect(res.body).toEqual(view);
    const other = await createSession(http);
    const missing = await http.get(`/sessions/${other}/events/batch`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('EVENT_NOT_FOUND');
  });

  it('is in the OpenAPI document: route, bodies and problems', async () => {
    const res = await http.get('/docs-json').expect(200);
    const operation = res.body.paths['/sessions/{sessionId}/events/batch'].post;
    expect(operation.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AppendEventBatch',
    });
    expect(Object.keys(operation.responses).sort()).toEqual(
      [
        '200',
        '201',
        '400',
        '401',
        '404',
        '409',
        '413',
        '415',
        '429',
        '500',
        '503',
      ].sort(),
    );
    expect(
      operation.responses['201'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/EventBatch' });
    const schemas = res.body.components.schemas;
    expect(schemas.AppendEventBatch.properties.events).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: 500,
    });
    expect(schemas.AppendEventBatch.additionalProperties).toBe(false);
    expect(
      res.body.paths['/sessions/{sessionId}/events/batch'].get.responses['200'],
    ).toBeDefined();
    expect(schemas.BatchEventView.properties.outcome.enum).toEqual([
      'created',
      'replayed',
    ]);
  });
});
