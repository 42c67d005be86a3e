export * from './runtime';
export * from './tokens';
export * from './mappable-error';
export * from './projections';
