import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { migrateToLatest } from '@helpline/database';
import { DirectoryError, DirectoryService, type DirectoryImportSummary } from '@helpline/directory';
import type { CliSupport } from './cli-support';

const FORMATS = ['json', 'csv'] as const;

/** `directory import <file|folder>`, `directory import --sample`, `directory export --format json|csv [--out <dir>]`. */
export function registerDirectoryCommands(program: Command, { loadSettings, withDatabase }: CliSupport): void {
  const directory = program.command('directory').description('the resource directory (Open Referral HSDS 3)');

  directory
    .command('import [path]')
    .description(
      'import an HSDS JSON file, or a folder of HSDS CSV files (organizations.csv, services.csv...), or the bundled sample with --sample; upserts by id in one transaction, audited',
    )
    .option('--sample', 'load the sample directory of Milan (illustrative entries, not an official list)')
    .option('--actor <id>', 'who is recorded in the audit as having imported', defaultActor())
    .action(async (path: string | undefined, options: { sample?: boolean; actor: string }) => {
      if (Boolean(options.sample) === (path !== undefined))
        throw new Error('Give either a file or folder to import, or --sample.');
      const settings = loadSettings();
      const summary = await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        const service = DirectoryService.onDatabase(database);
        return explained(() => {
          if (options.sample) return service.importSample(options.actor);
          const target = resolve(path!);
          if (!existsSync(target)) throw new Error(`There is no file or folder ${target}.`);
          if (statSync(target).isDirectory()) return service.importCsv(options.actor, target);
          let document: unknown;
          try {
            document = JSON.parse(readFileSync(target, 'utf8'));
          } catch {
            throw new Error(`${target} is not a JSON file (for CSV, give the folder holding the .csv files).`);
          }
          return service.importJson(options.actor, document);
        });
      });
      process.stdout.write(`${describeSummary(summary)}\n`);
    });

  directory
    .command('export')
    .description(
      'export the whole directory, retired entries included: HSDS JSON on stdout (or <dir>/directory.json), or HSDS CSV files into --out <dir>',
    )
    .addOption(new Option('--format <format>', 'json or csv').choices([...FORMATS]).default('json'))
    .option('--out <dir>', 'the folder to write into (created when missing); required for csv', (value: string) => {
      if (value.trim() === '') throw new InvalidArgumentError('must name a folder');
      return value;
    })
    .action(async (options: { format: (typeof FORMATS)[number]; out?: string }) => {
      if (options.format === 'csv' && !options.out)
        throw new Error('CSV is one file per HSDS table: give --out <dir>.');
      const settings = loadSettings();
      await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        const service = DirectoryService.onDatabase(database);
        if (options.format === 'csv') {
          const written = await service.exportCsv(resolve(options.out!));
          process.stdout.write(
            `Wrote ${written.length} HSDS CSV files:\n${written.map((file) => `  ${file}`).join('\n')}\n`,
          );
          return;
        }
        const text = `${JSON.stringify(await service.exportJson(), null, 2)}\n`;
        if (!options.out) {
          process.stdout.write(text);
          return;
        }
        mkdirSync(resolve(options.out), { recursive: true });
        const file = join(resolve(options.out), 'directory.json');
        writeFileSync(file, text, 'utf8');
        process.stdout.write(`Wrote ${file}\n`);
      });
    });
}

function defaultActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** A refusal of the directory says which entry and field, and why. */
async function explained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DirectoryError)
      throw new Error(`Nothing was imported: ${error.field ? `${error.field}: ` : ''}${error.reason} (${error.code})`, {
        cause: error,
      });
    throw error;
  }
}

function describeSummary(summary: DirectoryImportSummary): string {
  const line = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([type, n]) => `${n} ${type.replace('_', ' ')}`)
      .join(', ');
  return [
    `Created:   ${line(summary.created)}`,
    `Changed:   ${line(summary.changed)}`,
    `Unchanged: ${line(summary.unchanged)}`,
  ].join('\n');
}
