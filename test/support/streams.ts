import type { TestConfig } from './config';

/** A quick poll and heartbeat, so that stream tests see live delivery and keep-alive comments within moments. */
export const STREAM_TEST_SETTINGS = {
  STREAM_POLL_INTERVAL_MS: 50,
  STREAM_HEARTBEAT_MS: 300,
  STREAM_STALL_TIMEOUT_MS: 3000,
} satisfies TestConfig;
