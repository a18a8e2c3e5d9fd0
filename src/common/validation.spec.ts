import { jsonObjectProblem } from './validation';

describe('jsonObjectProblem()', () => {
  it('accepts plain JSON objects, including empty and nested ones', () => {
    expect(jsonObjectProblem({}, 32)).toBeUndefined();
    expect(
      jsonObjectProblem({ a: [1, { b: null }], 'c-d': 'é' }, 32),
    ).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['an array', [1]],
    ['a string', 'x'],
  ])('rejects %s', (_, value) => {
    expect(jsonObjectProblem(value, 32)).toBe('must be a JSON object');
  });

  it('counts depth through arrays and objects', () => {
    let value: unknown = 1;
    for (let i = 0; i < 32; i++) value = i % 2 ? { v: value } : [value];
    expect(jsonObjectProblem(value, 32)).toBeUndefined();
    expect(jsonObjectProblem({ v: value }, 32)).toMatch(/deeper than 32/);
  });

  it('survives nesting far deeper than the stack would allow recursion', () => {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) value = { v: value };
    expect(jsonObjectProblem(value, 32)).toMatch(/deeper than 32/);
  });

  it.each([
    ['$set', /starts with "\$"/],
    ['a.b', /contains "\."/],
    ['a\u0000b', /contains NUL/],
    ['__proto__', /reserved/],
    ['prototype', /reserved/],
    ['\ud800', /not well-formed/],
  ])('rejects the key %j', (key, message) => {
    const value = JSON.parse(`{"ok": {${JSON.stringify(key)}: 1}}`) as unknown;
    expect(jsonObjectProblem(value, 32)).toMatch(message);
  });

  it('rejects strings that are not well-formed Unicode', () => {
    expect(jsonObjectProblem({ a: ['\ud800'] }, 32)).toMatch(
      /a\[0\] is not well-formed/,
    );
  });
});
