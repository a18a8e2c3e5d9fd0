import { CURSOR_PATTERN, decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  describe('encodeCursor()', () => {
    it('writes the sort key as <startedAt in ms>~<sessionId>', () => {
      expect(
        encodeCursor({
          startedAt: new Date('2026-11-25T10:00:00.000Z'),
          sessionId: 'call-1',
        }),
      ).toBe(`${Date.parse('2026-11-25T10:00:00.000Z')}~call-1`);
    });
  });

  describe('decodeCursor()', () => {
    it.each([
      ['a present instant', new Date('2026-11-25T10:00:00.123Z'), 'call-1'],
      ['an instant before 1970', new Date('1960-01-01T00:00:00Z'), 's'],
      ['an id with every allowed character', new Date(0), 'A0._:@-z'],
    ])('reads back what encodeCursor wrote, for %s', (_, startedAt, id) => {
      expect(decodeCursor(encodeCursor({ startedAt, sessionId: id }))).toEqual({
        startedAt,
        sessionId: id,
      });
    });

    it.each([
      ['no separator', '1764064800000'],
      ['no time', '~call-1'],
      ['no id', '1764064800000~'],
      ['a time that is not an integer', '1.5~call-1'],
      ['a time of 16 digits', '1234567890123456~call-1'],
      ['an id the API would refuse', '0~-starts-with-dash'],
      ['an id with a slash', '0~a/b'],
      ['an opaque token', 'not-a-cursor'],
    ])('refuses %s', (_, cursor) => {
      expect(decodeCursor(cursor)).toBeUndefined();
    });

    it.each(['999999999999999', '-999999999999999'])(
      'reads %s ms, the widest time the pattern admits, as a valid Date',
      (ms) => {
        expect(CURSOR_PATTERN.test(`${ms}~call-1`)).toBe(true);
        const cursor = decodeCursor(`${ms}~call-1`);
        expect(cursor?.startedAt.getTime()).toBe(Number(ms));
      },
    );
  });
});
