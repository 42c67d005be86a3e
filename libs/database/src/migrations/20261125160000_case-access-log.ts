import { Kysely, sql } from 'kysely';

// Every read of a case's details, by whom and when: supervisors and administrators can query it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_access_log')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('case_id', 'text', (col) => col.notNull())
    .addColumn('line_id', 'text', (col) => col.notNull())
    .addColumn('actor_id', 'text', (col) => col.notNull())
    .addColumn('actor_role', 'text', (col) => col.notNull())
    .addColumn('what', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text')
    .addColumn('accessed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('case_access_log_by_case')
    .on('case_access_log')
    .columns(['case_id', 'accessed_at'])
    .execute();
  await db.schema
    .createIndex('case_access_log_by_actor')
    .on('case_access_log')
    .columns(['actor_id', 'accessed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_access_log').execute();
}
