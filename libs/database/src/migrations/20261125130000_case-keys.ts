import { Kysely, sql } from 'kysely';

// One data key per subject (a case, a safety request), wrapped with the master key. Erasing a subject
// (crypto-shredding) nulls the wrapped key and keeps the row as a tombstone, so the subject can never get a new
// key and every value sealed for it stays unreadable. The check constraint keeps key material out of erased rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('subject_keys')
    .addColumn('subject_id', 'text', (col) => col.primaryKey())
    .addColumn('key_id', 'uuid', (col) => col.unique())
    .addColumn('wrapped_key', 'bytea')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('erased_at', 'timestamptz')
    .addColumn('erased_by', 'text')
    .addCheckConstraint('subject_keys_erased_has_no_key', sql`(wrapped_key is null) = (erased_at is not null)`)
    .addCheckConstraint('subject_keys_live_key_has_id', sql`wrapped_key is null or key_id is not null`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('subject_keys').execute();
}
