import { createTestApp, type TestAgent, type TestApp } from './support/app';
import { createSession, eventBody, uniqueId } from './support/fixtures';

type Body = Record<string, unknown>;

/** Bad batches: each answered 4xx with the fields it names, and nothing stored. */
describe('POST /sessions/:sessionId/events/batch with bad input', () => {
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

  /** Nothing stored by a refused batch: the document is exactly as before. */
  async function expectUnchanged(sessionId: string, send: () => unknown) {
    const before = await stored(sessionId);
    await send();
    expect(await stored(sessionId)).toEqual(before);
  }

  it('answers 400 for an eventId twice in one batch, naming both positions, before anything else', async () => {
    const sessionId = await createSession(http);
    const events = bodies(3);

    await expectUnchanged(sessionId, async () => {
      const res = await batch(sessionId, [...events, events[1]]).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: Body) => e.field)).toEqual([
        'events[1].eventId',
        'events[3].eventId',
      ]);
    });
    const unknown = await batch(uniqueId('none'), [events[0], events[0]]);
    expect(unknown.status).toBe(400);
  });

  it.each([
    ['no events', [], ['events']],
    ['no list', 'x', ['events']],
    [
      'a bad eventId at index 3',
      [0, 1, 2, 3].map((i) =>
        eventBody({ eventId: i === 3 ? '' : uniqueId('e') }),
      ),
      ['events[3].eventId'],
    ],
    [
      'an event that is not an object',
      [eventBody(), 7, [eventBody()]],
      ['events[1]', 'events[2]'],
    ],
    [
      'an unknown field and a bad timestamp',
      [eventBody(), { ...eventBody({ timestamp: 'yesterday' }), extra: 1 }],
      ['events[1].extra', 'events[1].timestamp'],
    ],
    [
      'more than MAX_BATCH_EVENTS events',
      Array.from({ length: 501 }, (_, i) => ({
        eventId: `e${i}`,
        type: 'system',
        payload: {},
        timestamp: '2026-11-25T10:00:00Z',
      })),
      ['events'],
    ],
  ])(
    'answers 400 for %s, naming the field, and stores nothing',
    async (_, events, fields) => {
      const sessionId = await createSession(http);
      await expectUnchanged(sessionId, async () => {
        const res = await batch(sessionId, events).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect([...new Set(res.body.errors.map((e: Body) => e.field))]).toEqual(
          fields,
        );
      });
    },
  );

  it('answers 400 for a body without events', async () => {
    const sessionId = await createSession(http);
    const res = await http
      .post(`/sessions/${sessionId}/events/batch`)
      .send({})
      .expect(400);
    expect(res.body.errors.map((e: Body) => e.field)).toContain('events');
  });

  it('answers 413 for an event payload over MAX_EVENT_PAYLOAD_BYTES, naming it, and stores nothing', async () => {
    const sessionId = await createSession(http);
    const events = [
      eventBody(),
      eventBody({ payload: { big: 'x'.repeat(65 * 1024) } }),
    ];
    await expectUnchanged(sessionId, async () => {
      const res = await batch(sessionId, events).expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.errors).toEqual([
        { field: 'events[1].payload', message: expect.any(String) },
      ]);
    });
  });

  it('answers 413 for a body over MAX_BODY_BYTES, and stores nothing', async () => {
    const sessionId = await createSession(http);
    const events = bodies(20, { payload: { big: 'x'.repeat(60 * 1024) } });
    await expectUnchanged(sessionId, async () => {
      const res = await batch(sessionId, events).expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });
});
