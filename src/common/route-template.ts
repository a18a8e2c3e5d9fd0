import type { IncomingMessage } from 'node:http';

/** What Express leaves on a request once a route has matched it. */
type RoutedRequest = IncomingMessage & {
  baseUrl?: string;
  route?: { path?: unknown };
};

/**
 * The route template that handled a request (`/sessions/:sessionId/events`),
 * never the raw path, which would make one log key value or metric series per
 * session; 'unmatched' when no route did. Read it when the response finishes:
 * earlier, the template is that of the middleware being run.
 */
export function routeTemplate(req: IncomingMessage): string {
  const { baseUrl = '', route } = req as RoutedRequest;
  return typeof route?.path === 'string'
    ? `${baseUrl}${route.path}`
    : 'unmatched';
}
