import { Kysely, sql } from 'kysely';

// The event log. Readers order it by (transaction_id, global_position) and read only transactions older than
// every transaction still running (see docs/architecture.md, "Ordering the log").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_streams')
    .addColumn('stream_id', 'text', (col) => col.primaryKey())
    .addColumn('version', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('global_position', 'bigserial', (col) => col.primaryKey())
    .addColumn('transaction_id', sql`xid8`, (col) => col.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('event_id', 'uuid', (col) => col.notNull().unique())
    .addColumn('stream_id', 'text', (col) => col.notNull().references('event_streams.stream_id'))
    .addColumn('stream_version', 'bigint', (col) => col.notNull())
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('schema_version', 'integer', (col) => col.notNull())
    .addColumn('data', 'jsonb', (col) => col.notNull())
    .addColumn('metadata', 'jsonb', (col) => col.notNull())
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('recorded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('events_stream_version_unique', ['stream_id', 'stream_version'])
    .execute();
  await db.schema.createIndex('events_log_order').on('events').columns(['transaction_id', 'global_position']).execute();
  await db.schema
    .createIndex('events_type_log_order')
    .on('events')
    .columns(['event_type', 'transaction_id', 'global_position'])
    .execute();

  await db.schema
    .createTable('event_idempotency_keys')
    .addColumn('idempotency_key', 'text', (col) => col.primaryKey())
    .addColumn('stream_id', 'text', (col) => col.notNull())
    .addColumn('first_version', 'bigint', (col) => col.notNull())
    .addColumn('last_version', 'bigint', (col) => col.notNull())
    .addColumn('recorded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_idempotency_keys').execute();
  await db.schema.dropTable('events').execute();
  await db.schema.dropTable('event_streams').execute();
}
