export * from './event-store.port';
export * from './event-store.errors';
export * from './tail-log';
export * from './postgres/postgres-event-store';
export * from './eventstoredb/eventstoredb-event-store';
