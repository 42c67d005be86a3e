import { Command } from 'commander';
import type { Settings } from '@helpline/config';
import { createCaseServices, reapplyErasures } from '@helpline/cases';
import type { ReappliedErasures } from '@helpline/cases';
import { backupEmbedded, migrateToLatest, restoreEmbedded } from '@helpline/database';
import type { EmbeddedBackup, EmbeddedRestore } from '@helpline/database';
import { openEventStore } from '@helpline/composition';
import type { CliSupport } from './cli-support';

const SERVER_GUIDANCE = `On a PostgreSQL server (DATABASE_URL), use PostgreSQL's own tools or your provider's backups:
  pg_dump --format=custom --file=helpline.dump "$DATABASE_URL"
  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" helpline.dump
then, with the services stopped or running:
  npm run cli -- erasures reapply
Never back up KEY_STORE_DIR with the database (docs/deploy.md, "Backups").`;

/** `backup`, `restore` and `erasures reapply`: the embedded store's backups, and erasures kept across a restore. */
export function registerBackupCommands(program: Command, support: CliSupport): void {
  program
    .command('backup')
    .description(
      'back up the embedded database (DATA_DIR) into one file, while no other process holds it; not the key store',
    )
    .requiredOption('--out <file-or-folder>', 'the backup file, or a folder for helpline-backup-<time>.tar.gz')
    .action(async (options: { out: string }) => {
      const settings = support.loadSettings();
      const { file, bytes } = await backupEmbeddedStore(settings, options.out, support);
      process.stdout.write(`Backed up the embedded database to ${file} (${bytes} bytes).\n`);
    });

  program
    .command('restore <backup-file>')
    .description(
      'replace the embedded database (DATA_DIR) with a backup, then record again the erasures made since it was taken',
    )
    .action(async (backupFile: string) => {
      const settings = support.loadSettings();
      const { previous, erasures } = await restoreEmbeddedStore(settings, backupFile, support);
      process.stdout.write(
        `Restored ${backupFile} into ${settings.database.kind === 'embedded' ? settings.database.dataDir : ''}.\n` +
          (previous ? `The database it replaced is kept in ${previous}: delete it once you have checked.\n` : '') +
          describeErasures(erasures),
      );
    });

  program
    .command('erasures')
    .description('erasures of personal data')
    .command('reapply')
    .description(
      'after restoring a database backup: record again every erasure made since the backup (read from KEY_STORE_DIR)',
    )
    .action(async () => {
      const settings = support.loadSettings();
      process.stdout.write(describeErasures(await reapplyRecordedErasures(settings, support)));
    });
}

export async function backupEmbeddedStore(
  settings: Settings,
  target: string,
  support: Pick<CliSupport, 'fail' | 'busy'>,
): Promise<EmbeddedBackup> {
  if (settings.database.kind !== 'embedded') return support.fail(SERVER_GUIDANCE, 2);
  const { dataDir } = settings.database;
  return support.busy(() => backupEmbedded(dataDir, target));
}

export async function restoreEmbeddedStore(
  settings: Settings,
  backupFile: string,
  support: CliSupport,
): Promise<EmbeddedRestore & { erasures: ReappliedErasures }> {
  if (settings.database.kind !== 'embedded') return support.fail(SERVER_GUIDANCE, 2);
  const { dataDir } = settings.database;
  const restored = await support.busy(() => restoreEmbedded(dataDir, backupFile));
  return { ...restored, erasures: await reapplyRecordedErasures(settings, support) };
}

/** The restored database brought up to date (a backup of an older version is migrated), then the erasures. */
export function reapplyRecordedErasures(settings: Settings, support: CliSupport): Promise<ReappliedErasures> {
  return support.withDatabase(settings, async (database) => {
    await migrateToLatest(database.db);
    const eventStore = await openEventStore(settings, database);
    try {
      const services = createCaseServices(database, eventStore, settings);
      // Keys of cases opened after the backup are not used by the restored database: the vault destroys them.
      await services.vault.prepare();
      return await reapplyErasures(services, services.erasures);
    } finally {
      await eventStore.close();
    }
  });
}

function describeErasures({ reapplied, alreadyRecorded, notInDatabase }: ReappliedErasures): string {
  return (
    `Erasures: ${reapplied.length} recorded again (made after the backup), ${alreadyRecorded} already in the database` +
    `, ${notInDatabase} of cases the database does not hold.\n`
  );
}
