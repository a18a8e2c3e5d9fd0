import { proxyFor } from './tcp-proxy';

// Imported first by overload.e2e-spec.ts: a tiny in-flight cap, and the
// database behind a proxy that the test can stall.
export const proxy = proxyFor(process.env.MONGODB_URI!);
export const MAX_IN_FLIGHT = 4;
process.env.MONGODB_URI = proxy.uri;
process.env.MAX_IN_FLIGHT_REQUESTS = String(MAX_IN_FLIGHT);
