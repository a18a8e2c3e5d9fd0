/**
 * The session rules in one place, with no framework and no I/O: the limits,
 * the documents, guarded filters and updates of every write (single and batch
 * appends included), the projections and pipelines of every read, and the
 * verdicts that explain a write its guard refused. SessionsRepository runs
 * what these build; SessionsService and EventsService orchestrate them, and
 * refusals.ts turns a verdict into the problem the API answers. Benchmarks and
 * test helpers import the builders from here.
 */
export * from './rules/batch';
export * from './rules/limits';
export * from './rules/pages';
export * from './rules/reads';
export * from './rules/verdicts';
export * from './rules/writes';
