export * from './runtime';
export * from './mappable-error';
export * from './projections';
