import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repositoryRoot = join(__dirname, '..', '..');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/**
 * Writes a small tree shaped like the repository (apps/, libs/, the project's tsconfig.json for the @helpline
 * paths) and runs dependency-cruiser on it with the project's own .dependency-cruiser.js, as `npm run lint:deps`
 * does. Answers every violation it reports.
 */
function cruise(files: Record<string, string>): Violation[] {
  const root = mkdtempSync(join(tmpdir(), 'helpline-layers-'));
  try {
    copyFileSync(join(repositoryRoot, 'tsconfig.json'), join(root, 'tsconfig.json'));
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
    const run = spawnSync(
      join(repositoryRoot, 'node_modules', '.bin', 'depcruise'),
      ['apps', 'libs', '--config', join(repositoryRoot, '.dependency-cruiser.js'), '--output-type', 'json'],
      { cwd: root, encoding: 'utf8' },
    );
    if (!run.stdout) throw new Error(`dependency-cruiser did not run: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      summary: { violations: { from: string; to: string; rule: { name: string } }[] };
    };
    return report.summary.violations.map(({ rule, from, to }) => ({ rule: rule.name, from, to }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A tree that keeps every layer rule: each lib imports others only the way the layers allow. */
const wellLayered: Record<string, string> = {
  'libs/kernel/src/index.ts': `export const EVENT_STORE = Symbol('EventStore');\n`,
  'libs/domain/src/index.ts': `export type CaseState = { phase: string };\n`,
  'libs/event-store/src/index.ts': `export interface EventStore { close(): Promise<void> }\n`,
  'libs/event-store/src/postgres/index.ts':
    `import type { EventStore } from '../index';\n` +
    `export class PostgresEventStore implements EventStore { async close() {} }\n`,
  'libs/event-store/src/eventstoredb/index.ts':
    `import type { EventStore } from '../index';\n` +
    `export class EventStoreDbEventStore implements EventStore { async close() {} }\n`,
  'libs/cases/src/case-stream.ts':
    `import type { CaseState } from '@helpline/domain';\n` +
    `import type { EventStore } from '@helpline/event-store';\n` +
    `import { EVENT_STORE } from '@helpline/kernel';\n` +
    `export const caseStream = (store: EventStore, state: CaseState) => [store, state, EVENT_STORE];\n`,
  'libs/cases/src/index.ts': `export * from './case-stream';\n`,
  'libs/composition/src/index.ts':
    `import { PostgresEventStore } from '@helpline/event-store/postgres';\n` +
    `export async function openEventStore(eventStoreDb: boolean) {\n` +
    `  if (!eventStoreDb) return new PostgresEventStore();\n` +
    `  const { EventStoreDbEventStore } = await import('@helpline/event-store/eventstoredb');\n` +
    `  return new EventStoreDbEventStore();\n` +
    `}\n`,
  'apps/api/src/main.ts':
    `import { openEventStore } from '@helpline/composition';\n` +
    `import { caseStream } from '@helpline/cases';\n` +
    `export const start = () => [openEventStore(false), caseStream];\n`,
  'apps/cli/src/main.ts': `import { openEventStore } from '@helpline/composition';\nexport const run = openEventStore;\n`,
};

describe('the layer rules (.dependency-cruiser.js)', () => {
  it('find nothing wrong in a tree that keeps the layers', () => {
    expect(cruise(wellLayered)).toEqual([]);
  });

  it('report a lib that imports the composition root, even for a type', () => {
    const violations = cruise({
      ...wellLayered,
      'libs/cases/src/index.ts':
        `export * from './case-stream';\n` +
        `import type { openEventStore } from '@helpline/composition';\n` +
        `export type Opener = typeof openEventStore;\n`,
    });

    expect(violations).toContainEqual({
      rule: 'no-lib-imports-the-composition-root',
      from: 'libs/cases/src/index.ts',
      to: 'libs/composition/src/index.ts',
    });
  });

  it('report the domain importing a lib, and the kernel importing the domain', () => {
    const violations = cruise({
      ...wellLayered,
      'libs/domain/src/index.ts': `import type { EventStore } from '@helpline/event-store';\nexport type Store = EventStore;\n`,
      'libs/kernel/src/index.ts': `import type { CaseState } from '@helpline/domain';\nexport type State = CaseState;\n`,
    });

    expect(violations).toContainEqual({
      rule: 'domain-imports-no-libs',
      from: 'libs/domain/src/index.ts',
      to: 'libs/event-store/src/index.ts',
    });
    expect(violations).toContainEqual({
      rule: 'kernel-imports-nothing-of-ours',
      from: 'libs/kernel/src/index.ts',
      to: 'libs/domain/src/index.ts',
    });
  });

  it('report a port that loads its adapter, and a static import of the EventStoreDB adapter', () => {
    const violations = cruise({
      ...wellLayered,
      'libs/event-store/src/index.ts':
        `export interface EventStore { close(): Promise<void> }\n` + `export * from './postgres/index';\n`,
      'libs/composition/src/index.ts':
        `import { EventStoreDbEventStore } from '@helpline/event-store/eventstoredb';\n` +
        `export const openEventStore = (eventStoreDb: boolean) => eventStoreDb && new EventStoreDbEventStore();\n`,
      'libs/cases/src/index.ts':
        `export * from './case-stream';\n` +
        `export { EventStoreDbEventStore } from '@helpline/event-store/eventstoredb';\n`,
    });

    expect(violations).toContainEqual({
      rule: 'ports-do-not-import-their-adapters',
      from: 'libs/event-store/src/index.ts',
      to: 'libs/event-store/src/postgres/index.ts',
    });
    expect(violations).toContainEqual({
      rule: 'composition-loads-eventstoredb-lazily',
      from: 'libs/composition/src/index.ts',
      to: 'libs/event-store/src/eventstoredb/index.ts',
    });
    expect(violations).toContainEqual({
      rule: 'eventstoredb-adapter-only-from-the-composition-root',
      from: 'libs/cases/src/index.ts',
      to: 'libs/event-store/src/eventstoredb/index.ts',
    });
  });

  it("report an app importing another app, or a file inside a lib instead of the lib's entry point", () => {
    const violations = cruise({
      ...wellLayered,
      'apps/api/src/main.ts':
        `import { run } from '../../cli/src/main';\n` +
        `import { caseStream } from '../../../libs/cases/src/case-stream';\n` +
        `export const start = () => [run, caseStream];\n`,
      'libs/composition/src/index.ts':
        wellLayered['libs/composition/src/index.ts'] + `export { caseStream } from '../../cases/src/case-stream';\n`,
    });

    expect(violations).toEqual(
      expect.arrayContaining([
        { rule: 'apps-do-not-depend-on-each-other', from: 'apps/api/src/main.ts', to: 'apps/cli/src/main.ts' },
        {
          rule: 'apps-tests-and-benchmarks-import-libs-through-entry-points',
          from: 'apps/api/src/main.ts',
          to: 'libs/cases/src/case-stream.ts',
        },
        {
          rule: 'libs-import-other-libs-through-entry-points',
          from: 'libs/composition/src/index.ts',
          to: 'libs/cases/src/case-stream.ts',
        },
      ]),
    );
  });
});
