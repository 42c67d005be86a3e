/** The EventStoreDB adapter of the EventStore port: `@helpline/event-store/eventstoredb`. Loads `@eventstore/db-client`. */
export * from './eventstoredb-event-store';
