// Imported first by the stream e2e files: a quick poll and heartbeat, so that
// the tests see live delivery and keep-alive comments within moments.
process.env.STREAM_POLL_INTERVAL_MS = '50';
process.env.STREAM_HEARTBEAT_MS = '300';
process.env.STREAM_STALL_TIMEOUT_MS = '3000';
