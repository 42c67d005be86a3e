/**
 * The EventStore port: the interface, its types and errors, log positions and the pure helpers adapters share.
 * Importing it loads no database client. The adapters have their own entry points, `@helpline/event-store/postgres`
 * and `@helpline/event-store/eventstoredb`, chosen by the composition root (`@helpline/composition`).
 */
export * from './event-store.port';
export * from './event-store.errors';
export * from './tail-log';
