import { connectPostgres, Database, migrateToLatest, openEmbedded } from '@helpline/database';
import type { Settings } from '@helpline/config';
import type { EventStore } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';

/** Opens the database the settings name: embedded PGlite in DATA_DIR, or the PostgreSQL server at DATABASE_URL. */
export async function openDatabase(settings: Settings, applicationName = 'helpline'): Promise<Database> {
  return settings.database.kind === 'embedded'
    ? openEmbedded({ dataDir: settings.database.dataDir })
    : connectPostgres({
        connectionString: settings.database.url,
        applicationName,
        preparedStatements: settings.database.preparedStatements,
      });
}

export async function openMigratedDatabase(settings: Settings, applicationName?: string): Promise<Database> {
  const database = await openDatabase(settings, applicationName);
  try {
    await migrateToLatest(database.db);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Events go to EventStoreDB when EVENTSTORE_CONNECTION_STRING is set; read models always stay in PostgreSQL.
 * The EventStoreDB adapter is loaded only then, so a PostgreSQL deployment never loads its gRPC client, which is an
 * optional dependency (the image leaves it out): a deployment that sets the variable installs it.
 */
export async function openEventStore(settings: Settings, database: Database): Promise<EventStore> {
  if (settings.eventStore.kind === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('@helpline/event-store/eventstoredb').catch((error: unknown) => {
      if (
        (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
        String(error).includes('@eventstore/db-client')
      )
        throw new Error(
          'EVENTSTORE_CONNECTION_STRING is set but the EventStoreDB client is not installed: run `npm install ' +
            '@eventstore/db-client` (an optional dependency, left out of the image; see docs/eventstoredb.md)',
        );
      throw error;
    });
    return new EventStoreDbEventStore(settings.eventStore.connectionString);
  }
  return new PostgresEventStore(database);
}
