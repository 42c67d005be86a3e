import { Kysely, sql } from 'kysely';

/*
 * Wakes the log's readers (LISTEN helpline_events) once per statement that inserts events, delivered when its
 * transaction commits. In the database rather than in the append itself, so that an append is one statement and
 * one round trip (docs/benchmarks.md); readers poll anyway, the notice only shortens their wait.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_events_appended() returns trigger language plpgsql as $$
    begin
      perform pg_notify('helpline_events', '');
      return null;
    end
    $$`.execute(db);
  await sql`create trigger events_appended after insert on events for each statement execute function notify_events_appended()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger events_appended on events`.execute(db);
  await sql`drop function notify_events_appended()`.execute(db);
}
