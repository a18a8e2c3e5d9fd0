import { AppendEventBatchDto } from '../sessions/dto/append-event-batch.dto';
import { AppendEventDto } from '../sessions/dto/append-event.dto';
import { CreateSessionDto } from '../sessions/dto/create-session.dto';
import type { ApiError } from './api-error';
import { createValidationPipe } from './validation.pipe';

describe('createValidationPipe()', () => {
  const pipe = createValidationPipe();
  const refusal = (body: unknown, metatype: new () => unknown) =>
    pipe.transform(body, { type: 'body', metatype }).then(
      () => undefined,
      (e: ApiError) => e,
    );
  const event = {
    eventId: 'e1',
    type: 'system',
    payload: {},
    timestamp: '2026-11-25T10:00:00Z',
  };

  it('names top-level fields by their name', async () => {
    const error = await refusal({ ...event, eventId: '' }, AppendEventDto);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'eventId' }],
    });
  });

  it('names the fields of array elements by index: events[i].field', async () => {
    const body = {
      events: [event, { ...event, type: 'x', extra: 1 }, 5, [event]],
    };
    const error = await refusal(body, AppendEventBatchDto);
    expect(error!.errors).toEqual([
      { field: 'events[1].extra', message: 'property extra should not exist' },
      {
        field: 'events[1].type',
        message: expect.stringMatching(/^type must/) as unknown,
      },
      { field: 'events[2]', message: 'events[2] must be an object' },
      { field: 'events[3]', message: 'events[3] must be an object' },
    ]);
  });

  it('answers an oversized JSON object anywhere with 413', async () => {
    const error = await refusal(
      { sessionId: 's1', language: 'en', metadata: { a: 'x'.repeat(17_000) } },
      CreateSessionDto,
    );
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      errors: [{ field: 'metadata' }],
    });
  });
});
