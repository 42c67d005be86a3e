/**
 * The layers (docs/architecture.md, "Layers"), checked in `npm test`. Dependencies point one way:
 * apps → composition root → adapters and application libs → kernel and domain.
 *
 *   kernel       libs/kernel: injection tokens and the application error base; imports nothing of ours
 *   domain       libs/domain: deciders, events, vocabularies; plain TypeScript, imports nothing of ours
 *   application  libs/cases, safety, directory, projections, evaluation, ...: use cases and read models
 *   ports        a lib's main entry point (@helpline/event-store): interfaces and types, no adapter behind them
 *   adapters     a lib's further entry points (@helpline/event-store/postgres, @helpline/event-store/eventstoredb)
 *   composition  libs/composition: picks the adapters and lists the read models; only apps, test and bench use it
 *   apps         apps/api, apps/projector, apps/cli: each its own process, none imports another;
 *                apps/console: the browser app, which imports nothing of the server
 */

/** A lib's public entry points: src/index.ts, and for the event store its adapters' src/<adapter>/index.ts. */
const entryPoints = ['^libs/[^/]+/src/index\\.ts$', '^libs/event-store/src/(postgres|eventstoredb)/index\\.ts$'];
/** Test helpers a lib offers to the tests of others (imported only from tests, see `testing-stays-in-tests`). */
const testingHelpers = '^libs/[^/]+/src/(testing|read-models/testing)/';
const tests = '(\\.(spec|int-spec|e2e-spec)\\.ts$|/testing/|^test/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is plain TypeScript: no Nest, no database, no other lib of ours, no I/O.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        // (^|/): in a git worktree whose node_modules is a link, the resolved path is the link's target.
        pathNot: ['^libs/domain/', '(^|/)node_modules/(luxon|@types/luxon)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-imports-no-libs',
      comment: 'Not even a type: the domain is the centre, every other lib may depend on it and it on none of them.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/domain/' },
    },
    {
      name: 'domain-imports-no-io',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(fs|net|http|https|child_process|crypto|node:)' },
    },
    {
      name: 'kernel-imports-nothing-of-ours',
      comment:
        'libs/kernel is what every layer shares (tokens, the application error base): it can lean on none of them.',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/kernel/' },
    },
    {
      name: 'libs-do-not-depend-on-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-lib-imports-the-composition-root',
      comment:
        'libs/composition wires every lib together (it imports safety, evaluation, the adapters); a lib that imported ' +
        'it would depend on everything. Only apps/, test/ and bench/ compose.',
      severity: 'error',
      from: { path: '^libs/', pathNot: '^libs/composition/' },
      to: { path: '^libs/composition/' },
    },
    {
      name: 'ports-do-not-import-their-adapters',
      comment:
        "A port's entry point (libs/event-store/src/*.ts) must not reach its adapters' folders, or importing the port " +
        'would load pg, PGlite or the EventStoreDB client.',
      severity: 'error',
      from: { path: '^libs/event-store/src/[^/]+\\.ts$', pathNot: tests },
      to: { path: '^libs/event-store/src/(postgres|eventstoredb)/' },
    },
    {
      name: 'eventstoredb-adapter-only-from-the-composition-root',
      comment:
        'The EventStoreDB client is loaded only when it is configured: the composition root imports it, nobody else.',
      severity: 'error',
      from: { pathNot: ['^libs/composition/', '^libs/event-store/src/eventstoredb/', tests] },
      to: { path: '^libs/event-store/src/eventstoredb/' },
    },
    {
      name: 'composition-loads-eventstoredb-lazily',
      comment:
        'A static import would load @eventstore/db-client in every process; `await import()` loads it when configured.',
      severity: 'error',
      from: { path: '^libs/composition/', pathNot: tests },
      to: { path: '^libs/event-store/src/eventstoredb/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'libs-import-other-libs-through-entry-points',
      comment:
        "A lib's files other than its entry points are its own business: import `@helpline/<lib>` (or one of its " +
        'further entry points), never a file inside it.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: ['^libs/$1/', ...entryPoints, testingHelpers] },
    },
    {
      name: 'apps-tests-and-benchmarks-import-libs-through-entry-points',
      severity: 'error',
      from: { path: '^(apps|test|bench)/' },
      to: { path: '^libs/', pathNot: [...entryPoints, testingHelpers] },
    },
    {
      name: 'testing-helpers-stay-in-tests',
      comment:
        "A lib's src/testing/ helpers (harnesses, fixtures, the contract suite) serve tests, never production code.",
      severity: 'error',
      // Known exception: @helpline/database's main entry point still exports its test-database helper, which
      // 33 test files import from there; a `@helpline/database/testing` entry point would move them all.
      from: { path: '^(apps|libs|bench)/', pathNot: [tests, '^libs/database/src/index\\.ts$'] },
      to: { path: testingHelpers },
    },
    {
      name: 'apps-do-not-depend-on-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'console-imports-no-server-code',
      comment:
        'apps/console runs in the browser: it talks to the API over HTTP through its generated client, and imports ' +
        'nothing of the server (no lib, no other app), so no server code or secret can end up in its bundle.',
      severity: 'error',
      from: { path: '^apps/console/' },
      to: { path: '^(libs|apps)/', pathNot: '^apps/console/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.d\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'] },
  },
};
