import { Kysely, sql } from 'kysely';

/*
 * The transactional outbox of the safety protocol's e-mails (libs/safety, docs/safety-protocol.md). The
 * `safety-mail-outbox` projection writes one row per sent preventive request and recipient, in the same transaction
 * that moves its checkpoint past the event, so each event yields its rows exactly once; the unique key keeps a
 * rebuild or a replay from adding them again. A dispatcher claims due rows (lease, FOR UPDATE SKIP LOCKED), sends
 * them over SMTP and marks them delivered. Rows hold references only: no address of a person, no personal value.
 * It is not a read model: delivery state must survive a rebuild of the projection, so the table is created here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('safety_mail_outbox')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text', (col) => col.notNull())
    .addColumn('unit_id', 'text', (col) => col.notNull())
    .addColumn('late', 'boolean', (col) => col.notNull())
    .addColumn('event_occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('delivered_to', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('safety_mail_outbox_once_per_event', ['event_id', 'recipient'])
    .addCheckConstraint('safety_mail_outbox_status', sql`status in ('pending', 'delivered')`)
    .execute();
  await db.schema
    .createIndex('safety_mail_outbox_due')
    .on('safety_mail_outbox')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('safety_mail_outbox').execute();
}
