import { Kysely, sql } from 'kysely';

// One row per projection (libs/projections). A batch of read-model rows and the move of its checkpoint are
// written in one transaction, after locking this row, so a killed worker resumes where it committed and two
// workers can never apply the same event. The lease says which process drives the projection; the rebuild_*
// columns follow a rebuild into shadow tables, which a last transaction swaps in while holding this row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('projection_checkpoints')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('commit_position', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('prepare_position', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('running'))
    .addColumn('error_event_id', 'text')
    .addColumn('error_message', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'timestamptz')
    .addColumn('owned_tables', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status_before_rebuild', 'text')
    .addColumn('rebuild_version', 'integer')
    .addColumn('rebuild_owner', 'text')
    .addColumn('rebuild_lease_expires_at', 'timestamptz')
    .addColumn('rebuild_commit_position', 'bigint')
    .addColumn('rebuild_prepare_position', 'bigint')
    .addColumn('rebuild_target_prepare', 'bigint')
    .addColumn('rebuild_events_applied', 'bigint')
    .addColumn('rebuild_started_at', 'timestamptz')
    .addColumn('rebuild_last_event_at', 'timestamptz')
    .addCheckConstraint('projection_checkpoints_status', sql`status in ('running', 'rebuilding', 'failed', 'stopped')`)
    .addCheckConstraint(
      'projection_checkpoints_status_before_rebuild',
      sql`status_before_rebuild is null or status_before_rebuild in ('running', 'failed', 'stopped')`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('projection_checkpoints').execute();
}
