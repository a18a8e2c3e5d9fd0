/**
 * A voice call through the client openapi-typescript + openapi-fetch make
 * from the served OpenAPI document. scripts/openapi-check.sh generates
 * ./generated/schema.ts, compiles this file with `tsc --strict` and runs it
 * against a service started with API keys: a document that generates a
 * client that does not compile, or one that does not match what the service
 * answers, fails CI.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/schema';

type Schemas = components['schemas'];
type Problem = Schemas['Problem'];

const baseUrl = process.env.BASE_URL ?? assert.fail('BASE_URL is not set');
const apiKey = process.env.API_KEY ?? assert.fail('API_KEY is not set');
const api = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Bearer ${apiKey}` },
});

function expectProblem(
  error: Problem | undefined,
  status: number,
  code: Schemas['ProblemCode'],
): void {
  assert.ok(error, `expected a ${code} problem`);
  assert.equal(error.status, status);
  assert.equal(error.code, code);
  assert.match(error.requestId, /^[A-Za-z0-9._:@-]{1,128}$/);
}

const sessionId = `call-${randomUUID()}`;
const at = (second: number): string =>
  `2026-11-25T11:00:${String(second).padStart(2, '0')}.250+01:00`;

async function createSession(): Promise<void> {
  const body: Schemas['CreateSessionRequest'] = {
    sessionId,
    language: 'en-US',
    metadata: { channel: 'phone', caller: { tier: 'gold', tags: ['vip'] } },
    startedAt: '2026-11-25T11:00:00.000123+01:00',
  };
  const first = await api.POST('/sessions', { body });
  assert.equal(first.response.status, 201);
  assert.equal(
    first.response.headers.get('Location'),
    `/sessions/${sessionId}`,
  );
  assert.ok(first.response.headers.get('X-Request-Id'));
  const session: Schemas['SessionView'] | undefined = first.data;
  assert.equal(session?.status, 'initiated');
  assert.equal(session?.startedAt, '2026-11-25T10:00:00.000Z');
  assert.deepEqual(session?.metadata, body.metadata);

  const again = await api.POST('/sessions', { body });
  assert.equal(again.response.status, 200);
  assert.equal(again.response.headers.get('Idempotent-Replayed'), 'true');
  assert.deepEqual(again.data, session);

  const other = await api.POST('/sessions', {
    body: { ...body, language: 'fr-FR' },
  });
  expectProblem(other.error, 409, 'SESSION_CONFLICT');
}

async function appendEvents(count: number): Promise<void> {
  const types: Schemas['EventType'][] = ['user_speech', 'bot_speech', 'system'];
  for (let i = 1; i <= count; i++) {
    const body: Schemas['AppendEventRequest'] = {
      eventId: `evt-${i}`,
      type: types[i % types.length] ?? 'system',
      payload: { text: `utterance ${i}`, confidence: 0.5, words: [{ i }] },
      timestamp: at(i),
    };
    const params = { path: { sessionId } };
    const first = await api.POST('/sessions/{sessionId}/events', {
      params,
      body,
    });
    assert.equal(first.response.status, 201);
    const seq: number | undefined = first.data?.seq;
    assert.equal(seq, i);
    assert.equal(
      first.data?.timestamp,
      `2026-11-25T10:00:${String(i).padStart(2, '0')}.250Z`,
    );
    const again = await api.POST('/sessions/{sessionId}/events', {
      params,
      body,
    });
    assert.equal(again.response.status, 200);
    assert.equal(again.response.headers.get('Idempotent-Replayed'), 'true');
    assert.deepEqual(again.data, first.data);
  }
  const conflict = await api.POST('/sessions/{sessionId}/events', {
    params: { path: { sessionId } },
    body: { eventId: 'evt-1', type: 'system', payload: {}, timestamp: at(1) },
  });
  expectProblem(conflict.error, 409, 'EVENT_CONFLICT');
}

async function pageEvents(count: number, limit: number): Promise<void> {
  const first = await api.GET('/sessions/{sessionId}', {
    params: { path: { sessionId }, query: { limit } },
  });
  const session: Schemas['SessionWithEvents'] | undefined = first.data;
  assert.equal(session?.status, 'active');
  assert.equal(session?.eventCount, count);
  assert.equal(session?.events.length, limit);
  const seqs: number[] = [];
  let after: number | null = 0;
  let pages = 0;
  while (after !== null) {
    const page: Schemas['EventPage'] | undefined = (
      await api.GET('/sessions/{sessionId}/events', {
        params: { path: { sessionId }, query: { limit, after } },
      })
    ).data;
    assert.ok(page, 'a page of events');
    seqs.push(...page.events.map((event) => event.seq));
    // Oldest-first pages carry nextAfter; newest-first ones nextBefore.
    after = page.nextAfter ?? null;
    pages++;
  }
  assert.deepEqual(
    seqs,
    Array.from({ length: count }, (_, i) => i + 1),
  );
  assert.equal(pages, Math.ceil(count / limit));
  const newest: number[] = [];
  let before: number | null | undefined;
  do {
    const page = await api.GET('/sessions/{sessionId}/events', {
      params: {
        path: { sessionId },
        query: { order: 'desc', limit, ...(before ? { before } : {}) },
      },
    });
    assert.ok(page.data, 'a newest-first page of events');
    newest.push(...page.data.events.map((event) => event.seq));
    before = page.data.nextBefore;
  } while (before);
  assert.deepEqual(newest, [...seqs].reverse());
  const one = await api.GET('/sessions/{sessionId}/events/{eventId}', {
    params: { path: { sessionId, eventId: 'evt-5' } },
  });
  assert.equal(one.data?.seq, 5);
  const missing = await api.GET('/sessions/{sessionId}/events/{eventId}', {
    params: { path: { sessionId, eventId: 'evt-404' } },
  });
  expectProblem(missing.error, 404, 'EVENT_NOT_FOUND');
}

async function appendBatch(): Promise<void> {
  const params = { path: { sessionId } };
  const events: Schemas['AppendEventRequest'][] = [
    // evt-5 exactly as appended before: replayed, not stored again.
    {
      eventId: 'evt-5',
      type: 'system',
      payload: { text: 'utterance 5', confidence: 0.5, words: [{ i: 5 }] },
      timestamp: at(5),
    },
    {
      eventId: 'evt-b1',
      type: 'bot_speech',
      payload: { text: 'partial' },
      timestamp: at(30),
    },
    {
      eventId: 'evt-b2',
      type: 'system',
      payload: { tool: 'lookup' },
      timestamp: at(31),
    },
  ];
  const first = await api.POST('/sessions/{sessionId}/events/batch', {
    params,
    body: { events },
  });
  assert.equal(first.response.status, 201);
  assert.deepEqual(
    first.data?.events.map((event) => [event.eventId, event.outcome]),
    [
      ['evt-5', 'replayed'],
      ['evt-b1', 'created'],
      ['evt-b2', 'created'],
    ],
  );
  const again = await api.POST('/sessions/{sessionId}/events/batch', {
    params,
    body: { events },
  });
  assert.equal(again.response.status, 200);
  assert.equal(again.response.headers.get('Idempotent-Replayed'), 'true');
  assert.deepEqual(
    again.data?.events.map((event) => event.seq),
    first.data?.events.map((event) => event.seq),
  );
}

async function closeSessions(): Promise<void> {
  const params = { path: { sessionId } };
  const endedAt = '2026-11-25T10:05:00.000Z';
  const done = await api.POST('/sessions/{sessionId}/complete', {
    params,
    body: { endedAt },
  });
  assert.equal(done.data?.status, 'completed');
  assert.equal(done.data?.endedAt, endedAt);
  const repeat = await api.POST('/sessions/{sessionId}/complete', { params });
  assert.equal(repeat.data?.endedAt, endedAt);
  const late = await api.POST('/sessions/{sessionId}/events', {
    params,
    body: {
      eventId: 'evt-late',
      type: 'system',
      payload: {},
      timestamp: at(59),
    },
  });
  expectProblem(late.error, 409, 'SESSION_CLOSED');
  const failed = await api.POST('/sessions/{sessionId}/fail', {
    params,
    body: { reason: 'too late' },
  });
  expectProblem(failed.error, 409, 'INVALID_TRANSITION');
}

async function listSessions(): Promise<void> {
  const status: Schemas['SessionStatus'] = 'completed';
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.GET('/sessions', {
      params: { query: { status, limit: 1, ...(cursor ? { cursor } : {}) } },
    });
    assert.ok(page.data, 'a page of sessions');
    found.push(...page.data.sessions.map((session) => session.sessionId));
    cursor = page.data.nextCursor ?? undefined;
  } while (cursor);
  assert.ok(found.includes(sessionId), 'the completed session is listed');
}

async function withoutKey(): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl });
  const denied = await anonymous.GET('/sessions/{sessionId}', {
    params: { path: { sessionId } },
  });
  expectProblem(denied.error, 401, 'UNAUTHORIZED');
  const ready = await anonymous.GET('/health/ready');
  assert.equal(ready.data?.status, 'ok');
  const live = await anonymous.GET('/health/live');
  assert.equal(live.data?.status, 'ok');
  const metrics = await anonymous.GET('/metrics', { parseAs: 'text' });
  assert.match(metrics.data ?? '', /^# HELP /m);
}

async function main(): Promise<void> {
  await createSession();
  await appendEvents(20);
  await pageEvents(20, 7);
  await appendBatch();
  await closeSessions();
  await listSessions();
  await withoutKey();
  console.log(
    `client scenario passed against ${baseUrl} (session ${sessionId})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
