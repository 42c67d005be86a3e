// Three tiers, by file name (see ../shared/STYLE.md): unit (*.spec.ts, no I/O),
// integration (*.int-spec.ts, a real PostgreSQL: PGlite or DATABASE_URL), end-to-end (*.e2e-spec.ts) and the
// console in a browser (*.browser-spec.ts).
const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A lib's main entry point is src/index.ts; a further one (the port's adapters, `@helpline/event-store/postgres`)
  // is src/<name>/index.ts. tsconfig.json lists the same paths for tsc and tsc-alias.
  moduleNameMapper: {
    '^@helpline/([^/]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@helpline/([^/]+)/([^/]+)$': '<rootDir>/libs/$1/src/$2/index.ts',
  },
  rootDir: __dirname,
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
    // The console in Debian's Chromium against the real API (test/browser; skipped, saying why, without Chromium).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
  maxWorkers: 2,
  // A global option: jest ignores it inside a project entry. Database tests on a loaded 2-core machine need room.
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};
