export * from './counting-projection';
export * from './projection-test-kit';
