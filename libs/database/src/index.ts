export * from './database';
export * from './database-availability';
export * from './data-dir-lock';
export * from './embedded-backup';
export * from './migrator';
export * from './testing/test-database';
