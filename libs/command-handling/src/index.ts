// One command path for every event-sourced aggregate: idempotency, expected version, sealing, decide, append, retry.
export * from './command-context';
export * from './command-errors';
export * from './aggregate-definition';
export * from './command-handler';
