export * from './app-config';
export * from './settings';
