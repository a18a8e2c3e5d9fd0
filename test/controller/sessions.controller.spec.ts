import { ApiError } from '../../src/common/api-error';
import { AppendEventDto } from '../../src/sessions/dto/append-event.dto';
import { CreateSessionDto } from '../../src/sessions/dto/create-session.dto';
import {
  EVENT_VIEW,
  outcome,
  SESSION_VIEW,
  serviceCalls,
  useControllerHarness,
} from '../support/controller';
import { eventBody, sessionBody } from '../support/fixtures';

describe('SessionsController', () => {
  const h = useControllerHarness();

  describe('POST /sessions', () => {
    it('hands the service the validated body and answers 201 with Location when it created the session', async () => {
      const body = sessionBody({ sessionId: 's-1' });
      const res = await h.http.post('/sessions').send(body).expect(201);

      expect(h.service.create).toHaveBeenCalledTimes(1);
      const [dto] = h.service.create.mock.calls[0];
      expect(dto).toBeInstanceOf(CreateSessionDto);
      expect({ ...dto }).toEqual(body);
      expect(res.headers.location).toBe('/sessions/s-1');
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body).toEqual(SESSION_VIEW);
    });

    it('answers 200 with Idempotent-Replayed when the service replayed a stored session', async () => {
      h.service.create.mockResolvedValueOnce(
        outcome(SESSION_VIEW, false, { sessionId: 's-1' }),
      );
      const res = await h.http
        .post('/sessions')
        .send(sessionBody({ sessionId: 's-1' }))
        .expect(200);

      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toEqual(SESSION_VIEW);
    });

    it('answers the problem of an ApiError the service throws', async () => {
      h.service.create.mockRejectedValueOnce(
        new ApiError('SESSION_CONFLICT', 'Session s-1 already exists.'),
      );
      const res = await h.http
        .post('/sessions')
        .send(sessionBody({ sessionId: 's-1' }))
        .expect(409);

      expect(res.headers['content-type']).toMatch(
        /^application\/problem\+json/,
      );
      expect(res.body).toMatchObject({
        status: 409,
        code: 'SESSION_CONFLICT',
        detail: 'Session s-1 already exists.',
        instance: '/sessions',
      });
    });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After before the indexes exist, without calling the service', async () => {
      h.database.ready = false;
      const res = await h.http
        .post('/sessions')
        .send(sessionBody())
        .expect(503);

      expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('1');
      expect(serviceCalls(h.service)).toEqual([]);
    });
  });

  describe('POST /sessions/:sessionId/events', () => {
    it('hands the service the session id and the validated event; 201 with Location', async () => {
      const body = eventBody({ eventId: 'e-1' });
      const res = await h.http
        .post('/sessions/s-1/events')
        .send(body)
        .expect(201);

      const [sessionId, dto] = h.service.appendEvent.mock.calls[0];
      expect(sessionId).toBe('s-1');
      expect(dto).toBeInstanceOf(AppendEventDto);
      expect({ ...dto }).toEqual(body);
      expect(res.headers.location).toBe('/sessions/s-1/events/e-1');
      expect(res.body).toEqual(EVENT_VIEW);
    });

    it('answers 200 with Idempotent-Replayed for a replayed event', async () => {
      h.service.appendEvent.mockResolvedValueOnce(
        outcome(EVENT_VIEW, false, { sessionId: 's-1', eventId: 'e-1' }),
      );
      const res = await h.http
        .post('/sessions/s-1/events')
        .send(eventBody({ eventId: 'e-1' }))
        .expect(200);

      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body).toEqual(EVENT_VIEW);
    });
  });

  describe('reads', () => {
    it('GET /sessions/:id passes the default page (oldest first from the start, limit 50)', async () => {
      await h.http.get('/sessions/s-1').expect(200);
      expect(h.service.get).toHaveBeenCalledWith('s-1', {
        order: 'asc',
        after: undefined,
        before: undefined,
        limit: 50,
      });
    });

    it('GET /sessions/:id/events converts after and limit to numbers', async () => {
      await h.http.get('/sessions/s-1/events?after=3&limit=2').expect(200);
      expect(h.service.listEvents).toHaveBeenCalledWith(
        's-1',
        expect.objectContaining({ after: 3, limit: 2 }),
      );
    });

    it('GET /sessions/:id/events/:eventId passes both ids', async () => {
      const res = await h.http.get('/sessions/s-1/events/e-1').expect(200);
      expect(h.service.getEvent).toHaveBeenCalledWith('s-1', 'e-1');
      expect(res.body).toEqual(EVENT_VIEW);
    });

    it('GET /sessions passes the status filter and the default limit', async () => {
      await h.http.get('/sessions?status=active').expect(200);
      expect(h.service.list).toHaveBeenCalledWith(
        expect.objectContaining({ status: 'active', limit: 50 }),
      );
    });
  });

  describe('POST /sessions/:sessionId/complete and /fail', () => {
    it.each(['complete', 'fail'] as const)(
      '%s answers 200 without a body, handing the service an empty one',
      async (action) => {
        await h.http.post(`/sessions/s-1/${action}`).expect(200);
        expect(h.service[action]).toHaveBeenCalledWith(
          's-1',
          expect.any(Object),
        );
        expect({ ...h.service[action].mock.calls[0][1] }).toEqual({});
      },
    );

    it('complete hands the service the endedAt given', async () => {
      const endedAt = '2026-11-25T10:30:00.000Z';
      await h.http.post('/sessions/s-1/complete').send({ endedAt }).expect(200);
      expect({ ...h.service.complete.mock.calls[0][1] }).toEqual({ endedAt });
    });
  });

  describe('routing', () => {
    it('answers 405 with Allow for a method the path does not support', async () => {
      const res = await h.http.delete('/sessions/s-1').expect(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
    });

    it('answers 404 ROUTE_NOT_FOUND for a path without routes', async () => {
      const res = await h.http.get('/nothing-here').expect(404);
      expect(res.body).toMatchObject({
        code: 'ROUTE_NOT_FOUND',
        instance: '/nothing-here',
      });
    });
  });
});
