import type { Kysely } from 'kysely';
import type { Principal } from '@helpline/auth';
import type { Database } from '@helpline/database';
import type { SafetyRecordKind } from './read-models/safety-register.projection';

interface SafetyAccessLogTable {
  id: number;
  record_kind: string;
  record_id: string;
  unit_id: string | null;
  actor_id: string;
  actor_role: string;
  accessed_at: Date;
}

export interface SafetyAccessEntry {
  readonly id: number;
  readonly recordKind: SafetyRecordKind;
  readonly recordId: string;
  readonly unitId: string | null;
  readonly actorId: string;
  readonly actorRole: string;
  readonly accessedAt: string;
}

export interface SafetyAccessLogFilter {
  /** Only the records of this unit (a unit officer's); undefined for every unit (the area director). */
  readonly unitId?: string;
  readonly recordId?: string;
  readonly actorId?: string;
  readonly limit: number;
  /** Keyset: entries older than this id. */
  readonly beforeId?: number;
}

/** Who read which safety-protocol record, and when: written on every read of a record's details. */
export class SafetyAccessLogRepository {
  private readonly db: Kysely<{ safety_access_log: SafetyAccessLogTable }>;

  constructor(database: Database) {
    this.db = database.db as Kysely<{ safety_access_log: SafetyAccessLogTable }>;
  }

  async record(kind: SafetyRecordKind, recordId: string, unitId: string | null, principal: Principal): Promise<void> {
    await this.db
      .insertInto('safety_access_log')
      .values({
        record_kind: kind,
        record_id: recordId,
        unit_id: unitId,
        actor_id: principal.id,
        actor_role: principal.role,
      } as never)
      .execute();
  }

  async find(filter: SafetyAccessLogFilter): Promise<{ entries: SafetyAccessEntry[]; nextBefore?: number }> {
    let query = this.db.selectFrom('safety_access_log').selectAll();
    if (filter.unitId !== undefined) query = query.where('unit_id', '=', filter.unitId);
    if (filter.recordId) query = query.where('record_id', '=', filter.recordId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const entries = rows.slice(0, filter.limit).map((row) => ({
      id: Number(row.id),
      recordKind: row.record_kind as SafetyRecordKind,
      recordId: row.record_id,
      unitId: row.unit_id,
      actorId: row.actor_id,
      actorRole: row.actor_role,
      accessedAt: new Date(row.accessed_at).toISOString(),
    }));
    return rows.length > filter.limit ? { entries, nextBefore: entries.at(-1)!.id } : { entries };
  }
}
