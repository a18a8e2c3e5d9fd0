// Imported first by limits.e2e-spec.ts: small event cap, large payloads.
process.env.MAX_EVENTS_PER_SESSION = '20';
process.env.MAX_EVENT_PAYLOAD_BYTES = String(1024 * 1024);
process.env.MAX_BODY_BYTES = String(2 * 1024 * 1024);
