/**
 * The composition root: the one place that picks the adapters (PGlite or PostgreSQL, PostgreSQL or EventStoreDB)
 * and lists every read model. Only apps/, test/ and bench/ import it; no lib does (.dependency-cruiser.js).
 */
export * from './open-stores';
export * from './projection-runner';
export * from './service-metrics';
