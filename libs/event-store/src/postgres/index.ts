/** The PostgreSQL adapter of the EventStore port (on a server through pg, or embedded PGlite): `@helpline/event-store/postgres`. */
export * from './postgres-event-store';
