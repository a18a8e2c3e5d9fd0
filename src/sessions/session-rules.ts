/**
 * The session rules in one place, with no framework and no I/O: the limits,
 * the documents, guarded filters and updates of every write, the projections
 * and pipelines of every read, and the verdicts that explain a write its guard
 * refused. SessionsRepository runs what these build; SessionsService turns
 * the verdicts into answers. Benchmarks and test helpers import them from here.
 */
export * from './rules/batch';
export * from './rules/limits';
export * from './rules/reads';
export * from './rules/verdicts';
export * from './rules/writes';
