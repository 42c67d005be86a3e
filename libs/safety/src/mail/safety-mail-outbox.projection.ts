import { sql } from 'kysely';
import { SAFETY_REQUEST_STREAM_PREFIX, upcastSafetyRequestEvent } from '@helpline/domain';
import type { RecordedEvent } from '@helpline/event-store';
import { defineProjection, type ProjectionTransaction, type TableNames } from '@helpline/projections';
import { SAFETY_MAIL_RECIPIENTS } from './safety-mail';

export const SAFETY_MAIL_OUTBOX_TABLE = 'safety_mail_outbox';
export const SAFETY_MAIL_OUTBOX_PROJECTION_TABLES = ['safety_mail_requests'] as const;
type Table = (typeof SAFETY_MAIL_OUTBOX_PROJECTION_TABLES)[number];

/**
 * The transactional outbox of the safety e-mails, written by a projection (docs/safety-protocol.md, "Outbox").
 *
 * The event store's append runs its own transaction, so the e-mail cannot be written in the event's. It is written
 * in the next best place: the projection runner's transaction that moves this projection's checkpoint past the
 * SafetyRequestSent event. Either both commit or neither does, so every sent request gets its e-mails exactly once,
 * whatever crashes (a killed runner resumes at its checkpoint and writes them then). The outbox table itself belongs
 * to a migration, not to this projection: its delivery state must outlive a rebuild, which replays every event again
 * and finds (event, recipient) already there (`on conflict do nothing`). A replay into another schema (an evaluator's
 * as-of copy) writes no e-mail at all. The projection's own table only remembers each request's unit.
 */
export const safetyMailOutboxProjection = defineProjection<Table>({
  name: 'safety-mail-outbox',
  version: 1,
  handles: ['SafetyRequestDrafted', 'SafetyRequestSent'],
  tables: SAFETY_MAIL_OUTBOX_PROJECTION_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<Table>) {
    await trx.schema
      .createTable(tables.safety_mail_requests)
      .addColumn('request_id', 'text', (col) => col.primaryKey())
      .addColumn('unit_id', 'text', (col) => col.notNull())
      .execute();
  },

  async apply(trx: ProjectionTransaction, events: readonly RecordedEvent[], tables: TableNames<Table>) {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(SAFETY_REQUEST_STREAM_PREFIX)) continue;
      const requestId = recorded.streamId.slice(SAFETY_REQUEST_STREAM_PREFIX.length);
      const event = upcastSafetyRequestEvent(recorded.type, recorded.schemaVersion, recorded.data);
      if (event.type === 'SafetyRequestDrafted') {
        await trx
          .insertInto(tables.safety_mail_requests)
          .values({ request_id: requestId, unit_id: event.data.unitId })
          .onConflict((oc) => oc.column('request_id').doNothing())
          .execute();
      } else if (event.type === 'SafetyRequestSent' && writesOutbox(tables)) {
        const known = await trx
          .selectFrom(tables.safety_mail_requests)
          .select('unit_id')
          .where('request_id', '=', requestId)
          .executeTakeFirst();
        const unitId = (known?.unit_id as string | undefined) ?? event.data.actor.unitId ?? 'unknown';
        for (const recipient of SAFETY_MAIL_RECIPIENTS) {
          await sql`insert into ${sql.table(SAFETY_MAIL_OUTBOX_TABLE)}
              (event_id, recipient, kind, request_id, unit_id, late, event_occurred_at)
            values (${recorded.id}, ${recipient}, 'safety_request_sent', ${requestId}, ${unitId}, ${event.data.late}, ${event.data.occurredAt}::timestamptz)
            on conflict (event_id, recipient) do nothing`.execute(trx);
        }
      }
    }
  },
});

/** The live tables and a rebuild's shadow write e-mails; a replay into a schema of its own (`asof.x`) does not. */
function writesOutbox(tables: TableNames<Table>): boolean {
  return !tables.safety_mail_requests.includes('.');
}
