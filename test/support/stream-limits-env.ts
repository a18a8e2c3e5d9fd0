import './stream-env';
import { proxyFor } from './tcp-proxy';

// Imported first by stream-limits.e2e-spec.ts: two streams per instance, and
// the database behind a proxy that the stall test can cut.
process.env.MAX_STREAMS = '2';
process.env.STREAM_STALL_TIMEOUT_MS = '1000';
export const proxy = proxyFor(process.env.MONGODB_URI!);
process.env.MONGODB_URI = proxy.uri;
