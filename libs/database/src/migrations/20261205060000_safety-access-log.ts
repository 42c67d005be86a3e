import { Kysely, sql } from 'kysely';

// Every read of a safety-protocol record (a request, an emergency), by whom and when, like the cases' access log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('safety_access_log')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('record_kind', 'text', (col) => col.notNull())
    .addColumn('record_id', 'text', (col) => col.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('actor_id', 'text', (col) => col.notNull())
    .addColumn('actor_role', 'text', (col) => col.notNull())
    .addColumn('accessed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('safety_access_log_by_record')
    .on('safety_access_log')
    .columns(['record_id', 'accessed_at'])
    .execute();
  await db.schema.createIndex('safety_access_log_by_unit').on('safety_access_log').columns(['unit_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('safety_access_log').execute();
}
