import { ApiError } from '../../common/api-error';
import type { EventView } from '../dto/views.dto';
import { endFrame, eventFrame, resumePosition } from './sse';

describe('eventFrame()', () => {
  it('writes id, event and one data line of JSON, even for text with line breaks', () => {
    const view = {
      eventId: 'e1',
      seq: 7,
      payload: { text: 'a\nb\r\nc' },
    } as unknown as EventView;
    const frame = eventFrame(view);
    expect(frame).toBe(
      `id: 7\nevent: event\ndata: ${JSON.stringify(view)}\n\n`,
    );
    expect(frame.trimEnd().split('\n')).toHaveLength(3);
  });
});

describe('endFrame()', () => {
  it('is an end event without an id', () => {
    expect(endFrame({ status: 'completed' } as never)).toBe(
      'event: end\ndata: {"status":"completed"}\n\n',
    );
  });
});

describe('resumePosition()', () => {
  it('uses ?after= without a Last-Event-ID', () => {
    expect(resumePosition(undefined, 4)).toBe(4);
  });

  it('prefers Last-Event-ID, the seq of the last event received', () => {
    expect(resumePosition('12', 4)).toBe(12);
    expect(resumePosition(' 0 ', 4)).toBe(0);
  });

  it.each(['', 'abc', '-1', '1.5', '99999999999', '2147483648', '1e3'])(
    'refuses Last-Event-ID %p with VALIDATION_FAILED',
    (header) => {
      expect(() => resumePosition(header, 0)).toThrow(ApiError);
      try {
        resumePosition(header, 0);
      } catch (error) {
        expect((error as ApiError).code).toBe('VALIDATION_FAILED');
      }
    },
  );
});
