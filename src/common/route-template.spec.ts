import type { IncomingMessage } from 'node:http';
import { routeTemplate } from './route-template';

const req = (props: object) => props as IncomingMessage;

describe('routeTemplate()', () => {
  it('names the matched route template, not the path', () => {
    expect(
      routeTemplate(
        req({ baseUrl: '', route: { path: '/sessions/:sessionId' } }),
      ),
    ).toBe('/sessions/:sessionId');
  });

  it('puts the mount path of a sub-router in front of the template', () => {
    expect(
      routeTemplate(req({ baseUrl: '/v1', route: { path: '/sessions' } })),
    ).toBe('/v1/sessions');
  });

  it("is 'unmatched' when no route matched", () => {
    expect(routeTemplate(req({}))).toBe('unmatched');
  });
});
