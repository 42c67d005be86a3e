export * from './runtime';
export * from './projections';
