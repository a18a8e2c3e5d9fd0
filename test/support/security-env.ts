// Imported first by security.e2e-spec.ts: API keys on, a tight rate limit.
process.env.API_KEYS = 'key-alpha, key-beta';
process.env.RATE_LIMIT_MAX = '40';
process.env.RATE_LIMIT_TTL_MS = '60000';
