import { Kysely, sql } from 'kysely';

/*
 * The log's primary key becomes its reading order, (transaction_id, global_position), replacing both the key on
 * global_position alone (which no query reads by) and the separate log-order index: one index fewer to maintain
 * on every append, and the one that every concurrent writer inserts at its right edge (docs/benchmarks.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table events drop constraint events_pkey`.execute(db);
  await sql`drop index events_log_order`.execute(db);
  await sql`alter table events add constraint events_pkey primary key (transaction_id, global_position)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table events drop constraint events_pkey`.execute(db);
  await sql`alter table events add constraint events_pkey primary key (global_position)`.execute(db);
  await sql`create index events_log_order on events (transaction_id, global_position)`.execute(db);
}
