export * from './command-context';
export * from './case-errors';
export * from './case-stream.repository';
export * from './case-command.executor';
export * from './case-access-log.repository';
export * from './case-views';
export * from './callback-number-retention';
export * from './case-services';
