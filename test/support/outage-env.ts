import { proxyFor } from './tcp-proxy';

// Imported first by outage.e2e-spec.ts: the app reaches the database through a proxy.
export const proxy = proxyFor(process.env.MONGODB_URI!);
process.env.MONGODB_URI = proxy.uri;
