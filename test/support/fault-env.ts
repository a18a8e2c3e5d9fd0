import { proxyFor } from './tcp-proxy';

// Imported first by the database fault tests: the app reaches the database
// through a proxy of the file's own, with the default time bound stated.
export const proxy = proxyFor(process.env.MONGODB_URI!);
export const OPERATION_TIMEOUT_MS = 2000;
process.env.MONGODB_URI = proxy.uri;
process.env.MONGODB_OPERATION_TIMEOUT_MS = String(OPERATION_TIMEOUT_MS);
