import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repositoryRoot = join(__dirname, '..', '..', '..');

/**
 * Requires one entry point in a fresh node process (jest's own registry would hide what node loads) and answers
 * the npm packages that ended up in require.cache. TypeScript is transpiled on the fly, file by file.
 */
function packagesLoadedBy(entryPoint: string): string[] {
  const probe = `
    const fs = require('node:fs');
    const ts = require('typescript');
    require.extensions['.ts'] = (module, filename) => {
      const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      module._compile(outputText, filename);
    };
    require(process.argv[1]);
    const packages = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file);
      if (match && match[1] !== 'typescript') packages.add(match[1]);
    }
    process.stdout.write(JSON.stringify([...packages]));
  `;
  const output = execFileSync(process.execPath, ['-e', probe, join(repositoryRoot, entryPoint)], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

describe('the event-store entry points', () => {
  it('the port (@helpline/event-store) loads no database client', () => {
    const loaded = packagesLoadedBy('libs/event-store/src/index.ts');

    expect(loaded).not.toContain('@eventstore/db-client');
    expect(loaded).not.toContain('pg');
    expect(loaded).not.toContain('@electric-sql/pglite');
  });

  it('the EventStoreDB adapter (@helpline/event-store/eventstoredb) does load its client, so the probe sees it', () => {
    expect(packagesLoadedBy('libs/event-store/src/eventstoredb/index.ts')).toContain('@eventstore/db-client');
  });

  it('the PostgreSQL adapter (@helpline/event-store/postgres) does not load the EventStoreDB client', () => {
    const loaded = packagesLoadedBy('libs/event-store/src/postgres/index.ts');

    expect(loaded).toContain('kysely');
    expect(loaded).not.toContain('@eventstore/db-client');
  });
});
