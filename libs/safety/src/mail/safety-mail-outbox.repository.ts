import { sql } from 'kysely';
import type { Database } from '@helpline/database';
import type { SafetyMailNotice, SafetyMailRecipient } from './safety-mail';

/** An outbox row as the dispatcher and the operators see it. */
export interface SafetyMailOutboxEntry extends SafetyMailNotice {
  readonly id: number;
  readonly status: 'pending' | 'delivered';
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  readonly deliveredTo: string | null;
  readonly messageId: string | null;
}

interface OutboxRow {
  id: number;
  event_id: string;
  recipient: SafetyMailRecipient;
  request_id: string;
  unit_id: string;
  late: boolean;
  event_occurred_at: Date | string;
  status: 'pending' | 'delivered';
  attempts: number;
  next_attempt_at: Date | string;
  last_error: string | null;
  delivered_at: Date | string | null;
  delivered_to: string | null;
  message_id: string | null;
}

/**
 * The SQL of the outbox (table `safety_mail_outbox`, from migration 20261125170000). Times come from the database's
 * clock, so dispatchers on several hosts agree on leases and back-off.
 */
export class SafetyMailOutboxRepository {
  constructor(private readonly database: Database) {}

  /**
   * Claims the next due e-mail for `owner` for `leaseMs`, counting the attempt now (so a dispatcher that dies
   * mid-send still backs off). `FOR UPDATE SKIP LOCKED` lets concurrent dispatchers on a server take different
   * rows; the lease keeps a row theirs after the statement commits. PGlite is one session: the same statement runs
   * there, one at a time.
   */
  async claimNext(owner: string, leaseMs: number): Promise<SafetyMailOutboxEntry | undefined> {
    const { rows } = await sql<OutboxRow>`
      update safety_mail_outbox
         set lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond', attempts = attempts + 1
       where id = (
         select id from safety_mail_outbox
          where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
          order by next_attempt_at, id
          limit 1
          for update skip locked)
      returning *`.execute(this.database.db);
    return rows[0] ? entryOf(rows[0]) : undefined;
  }

  /** Marks a claimed e-mail delivered; false when the lease was lost meanwhile (the row is left as it is). */
  async markDelivered(id: number, owner: string, deliveredTo: string, messageId: string): Promise<boolean> {
    const result = await sql`
      update safety_mail_outbox
         set status = 'delivered', delivered_at = now(), delivered_to = ${deliveredTo}, message_id = ${messageId},
             lease_owner = null, lease_until = null, last_error = null
       where id = ${id} and lease_owner = ${owner} and status = 'pending'`.execute(this.database.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  /** A failed delivery: the e-mail stays pending and is due again after `backoffMs`. `error` is a code, never a message. */
  async markFailed(id: number, owner: string, backoffMs: number, error: string): Promise<void> {
    await sql`
      update safety_mail_outbox
         set next_attempt_at = now() + ${backoffMs} * interval '1 millisecond', lease_owner = null, lease_until = null, last_error = ${error}
       where id = ${id} and lease_owner = ${owner} and status = 'pending'`.execute(this.database.db);
  }

  async list(filter: { requestId?: string; status?: 'pending' | 'delivered' } = {}): Promise<SafetyMailOutboxEntry[]> {
    const { rows } = await sql<OutboxRow>`
      select * from safety_mail_outbox
       where (${filter.requestId ?? null}::text is null or request_id = ${filter.requestId ?? null})
         and (${filter.status ?? null}::text is null or status = ${filter.status ?? null})
       order by id`.execute(this.database.db);
    return rows.map(entryOf);
  }
}

function instant(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function entryOf(row: OutboxRow): SafetyMailOutboxEntry {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    recipient: row.recipient,
    requestId: row.request_id,
    unitId: row.unit_id,
    late: row.late,
    sentAt: instant(row.event_occurred_at),
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: instant(row.next_attempt_at),
    lastError: row.last_error,
    deliveredAt: row.delivered_at === null ? null : instant(row.delivered_at),
    deliveredTo: row.delivered_to,
    messageId: row.message_id,
  };
}
