export * from './mappable-error';
