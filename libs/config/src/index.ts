export * from './app-config';
export * from './settings';
export * from './lines-file';
