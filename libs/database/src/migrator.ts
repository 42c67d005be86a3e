import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Migration, MigrationProvider, MigrationResultSet, Migrator } from 'kysely';
import type { AnyKysely } from './database';

const MIGRATION_FILE = /^\d{14}_[a-z0-9-]+\.(ts|js)$/;

/**
 * Every migration of the project lives in ./migrations, named `<yyyymmddhhmmss>_<what>.ts`, and is never
 * edited once landed. Files are loaded with `require` so that the same provider works from the compiled
 * dist/ and under jest.
 */
export class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder = join(__dirname, 'migrations')) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of readdirSync(this.folder).sort()) {
      if (!MIGRATION_FILE.test(file)) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- compiled migrations are found by path at run time
      const migration = require(join(this.folder, file)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = migration;
    }
    return migrations;
  }
}

export class MigrationFailedError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    super(
      `Migration ${migrationName ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'MigrationFailedError';
  }
}

function migratorFor(db: AnyKysely): Migrator {
  return new Migrator({
    db,
    provider: new FolderMigrationProvider(),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/** Applies every pending migration; returns the names applied now. */
export async function migrateToLatest(db: AnyKysely): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migratorFor(db).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new MigrationFailedError(failed?.migrationName, error);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

export async function pendingMigrations(db: AnyKysely): Promise<string[]> {
  const migrations = await migratorFor(db).getMigrations();
  return migrations.filter((migration) => !migration.executedAt).map((migration) => migration.name);
}
