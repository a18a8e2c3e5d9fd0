// Imported first by the property suites (test/*.property.e2e-spec.ts), before
// AppModule reads its configuration: thousands of requests from one address
// must not meet the rate limit.
process.env.RATE_LIMIT_MAX = '0';
