/** Injection tokens for the platform's plain-TypeScript services. */
export const DATABASE = Symbol('Database');
export const EVENT_STORE = Symbol('EventStore');
