export * from './tokens';
export * from './application-error';
