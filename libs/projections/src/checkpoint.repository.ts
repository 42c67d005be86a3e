import { Kysely, sql, Transaction } from 'kysely';
import type { LogPosition } from '@helpline/event-store';
import type { ProjectionDb, ProjectionTransaction } from './projection';

export type ProjectionState = 'running' | 'rebuilding' | 'failed' | 'stopped';

export interface ProjectionCheckpointsTable {
  name: string;
  version: number;
  commit_position: number;
  prepare_position: number;
  updated_at: Date;
  last_event_at: Date | null;
  status: ProjectionState;
  error_event_id: string | null;
  error_message: string | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  owned_tables: string[];
  status_before_rebuild: Exclude<ProjectionState, 'rebuilding'> | null;
  rebuild_version: number | null;
  rebuild_owner: string | null;
  rebuild_lease_expires_at: Date | null;
  rebuild_commit_position: number | null;
  rebuild_prepare_position: number | null;
  rebuild_target_prepare: number | null;
  rebuild_events_applied: number | null;
  rebuild_started_at: Date | null;
  rebuild_last_event_at: Date | null;
}

export interface CheckpointTables {
  projection_checkpoints: ProjectionCheckpointsTable;
}

/** A checkpoint row as read, with the leases judged by the database's clock (one clock for every process). */
export interface CheckpointRow extends ProjectionCheckpointsTable {
  lease_live: boolean;
  rebuild_lease_live: boolean;
}

type Db = Kysely<CheckpointTables> | Transaction<CheckpointTables>;

const TABLE = 'projection_checkpoints';

export function positionOf(row: Pick<CheckpointRow, 'commit_position' | 'prepare_position'>): LogPosition {
  return { commit: Number(row.commit_position), prepare: Number(row.prepare_position) };
}

export function rebuildPositionOf(row: CheckpointRow): LogPosition | undefined {
  if (row.rebuild_commit_position === null || row.rebuild_prepare_position === null) return undefined;
  return { commit: Number(row.rebuild_commit_position), prepare: Number(row.rebuild_prepare_position) };
}

/** Whether the live tables are being fed: running, or rebuilding a projection that was running. */
export function liveIsDriven(row: Pick<CheckpointRow, 'status' | 'status_before_rebuild'>): boolean {
  return row.status === 'running' || (row.status === 'rebuilding' && row.status_before_rebuild === 'running');
}

function leaseInterval(ms: number) {
  return sql<Date>`now() + (${Math.max(1, Math.round(ms))}::integer * interval '1 millisecond')`;
}

const rowColumns = [
  sql<boolean>`coalesce(lease_expires_at > now(), false)`.as('lease_live'),
  sql<boolean>`coalesce(rebuild_lease_expires_at > now(), false)`.as('rebuild_lease_live'),
] as const;

/** The SQL of projection_checkpoints; the runner and the rebuild own the logic. */
export class CheckpointRepository {
  static of(db: ProjectionDb | ProjectionTransaction): Db {
    return db;
  }

  static async find(db: Db, name: string): Promise<CheckpointRow | undefined> {
    return await db.selectFrom(TABLE).selectAll().select(rowColumns).where('name', '=', name).executeTakeFirst();
  }

  static async findAll(db: Db, names: readonly string[]): Promise<CheckpointRow[]> {
    if (names.length === 0) return [];
    return await db
      .selectFrom(TABLE)
      .selectAll()
      .select(rowColumns)
      .where('name', 'in', [...names])
      .execute();
  }

  /** Locks the row until the transaction ends: live batches, rebuild batches and the swap queue on it. */
  static async lock(trx: Transaction<CheckpointTables>, name: string): Promise<CheckpointRow | undefined> {
    return await trx
      .selectFrom(TABLE)
      .selectAll()
      .select(rowColumns)
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Creates the row at the start of the log; true when this call created it (and must create the tables). */
  static async insertIfMissing(
    trx: Transaction<CheckpointTables>,
    name: string,
    version: number,
    tables: readonly string[],
  ): Promise<boolean> {
    const inserted = await trx
      .insertInto(TABLE)
      .values({ name, version, status: 'running', owned_tables: sql`${JSON.stringify(tables)}::jsonb` } as never)
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /**
   * Takes or renews the lease when it is free, ours, or expired, and only at this version and while the live
   * tables are driven. Concurrent callers queue on the row; the loser re-checks and gets nothing.
   */
  static async acquireLease(
    db: Db,
    name: string,
    version: number,
    owner: string,
    leaseMs: number,
  ): Promise<CheckpointRow | undefined> {
    return await db
      .updateTable(TABLE)
      .set({ lease_owner: owner, lease_expires_at: leaseInterval(leaseMs) })
      .where('name', '=', name)
      .where('version', '=', version)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'running'),
          eb.and([eb('status', '=', 'rebuilding'), eb('status_before_rebuild', '=', 'running')]),
        ]),
      )
      .where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_owner', '=', owner),
          eb('lease_expires_at', '<', sql<Date>`now()`),
        ]),
      )
      .returningAll()
      .returning(rowColumns)
      .executeTakeFirst();
  }

  static async releaseLeases(db: Db, owner: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await db
      .updateTable(TABLE)
      .set({ lease_owner: null, lease_expires_at: null })
      .where('name', 'in', [...names])
      .where('lease_owner', '=', owner)
      .execute();
  }

  static async releaseRebuildLease(db: Db, name: string, owner: string): Promise<void> {
    await db
      .updateTable(TABLE)
      .set({ rebuild_owner: null, rebuild_lease_expires_at: null })
      .where('name', '=', name)
      .where('rebuild_owner', '=', owner)
      .execute();
  }

  static async advance(
    trx: Transaction<CheckpointTables>,
    name: string,
    change: { position: LogPosition; lastEventAt?: string; leaseMs: number },
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        commit_position: change.position.commit,
        prepare_position: change.position.prepare,
        updated_at: sql<Date>`now()`,
        lease_expires_at: leaseInterval(change.leaseMs),
        ...(change.lastEventAt ? { last_event_at: new Date(change.lastEventAt) } : {}),
      })
      .where('name', '=', name)
      .execute();
  }

  static async markFailed(
    trx: Transaction<CheckpointTables>,
    name: string,
    failure: { position: LogPosition; lastEventAt?: string; eventId: string | null; message: string },
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        commit_position: failure.position.commit,
        prepare_position: failure.position.prepare,
        updated_at: sql<Date>`now()`,
        // During a rebuild the row stays `rebuilding`; the live part is what failed and what a swap or retry clears.
        status: sql<ProjectionState>`case when status = 'rebuilding' then 'rebuilding' else 'failed' end`,
        status_before_rebuild: sql<
          ProjectionCheckpointsTable['status_before_rebuild']
        >`case when status = 'rebuilding' then 'failed' else status_before_rebuild end`,
        error_event_id: failure.eventId,
        error_message: failure.message,
        ...(failure.lastEventAt ? { last_event_at: new Date(failure.lastEventAt) } : {}),
      })
      .where('name', '=', name)
      .execute();
  }

  static async setStatus(
    db: Db,
    name: string,
    from: readonly ProjectionState[],
    to: ProjectionState,
  ): Promise<boolean> {
    const result = await db
      .updateTable(TABLE)
      .set({ status: to, error_event_id: null, error_message: null, updated_at: sql<Date>`now()` })
      .where('name', '=', name)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Sets the state a rebuild left behind (`status_before_rebuild` of a rebuilding row, or the status itself). */
  static async setStatusBeforeRebuild(
    db: Db,
    name: string,
    from: readonly ProjectionState[],
    to: ProjectionState,
  ): Promise<boolean> {
    const result = await db
      .updateTable(TABLE)
      .set({
        status_before_rebuild: to as Exclude<ProjectionState, 'rebuilding'>,
        error_event_id: null,
        error_message: null,
        updated_at: sql<Date>`now()`,
      })
      .where('name', '=', name)
      .where('status', '=', 'rebuilding')
      .where(
        'status_before_rebuild',
        'in',
        from.filter((state): state is Exclude<ProjectionState, 'rebuilding'> => state !== 'rebuilding'),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // ---- rebuild -------------------------------------------------------------------------------------------

  static async startRebuild(
    trx: Transaction<CheckpointTables>,
    name: string,
    change: {
      owner: string;
      leaseMs: number;
      version: number;
      fresh: boolean;
      targetPrepare: number;
      statusBeforeRebuild: ProjectionCheckpointsTable['status_before_rebuild'];
    },
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        status: 'rebuilding',
        status_before_rebuild: change.statusBeforeRebuild,
        rebuild_owner: change.owner,
        rebuild_lease_expires_at: leaseInterval(change.leaseMs),
        rebuild_target_prepare: change.targetPrepare,
        updated_at: sql<Date>`now()`,
        ...(change.fresh
          ? {
              rebuild_version: change.version,
              rebuild_commit_position: 0,
              rebuild_prepare_position: 0,
              rebuild_events_applied: 0,
              rebuild_started_at: sql<Date>`now()`,
              rebuild_last_event_at: null,
            }
          : {}),
      })
      .where('name', '=', name)
      .execute();
  }

  static async advanceRebuild(
    trx: Transaction<CheckpointTables>,
    name: string,
    change: { position: LogPosition; applied: number; lastEventAt?: string; leaseMs: number },
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        rebuild_commit_position: change.position.commit,
        rebuild_prepare_position: change.position.prepare,
        rebuild_events_applied: sql<number>`coalesce(rebuild_events_applied, 0) + ${change.applied}::bigint`,
        rebuild_lease_expires_at: leaseInterval(change.leaseMs),
        updated_at: sql<Date>`now()`,
        ...(change.lastEventAt ? { rebuild_last_event_at: new Date(change.lastEventAt) } : {}),
      })
      .where('name', '=', name)
      .execute();
  }

  /** The rebuild takes the live lease: the live projection stops at its checkpoint until the swap. */
  static async takeLiveLease(
    trx: Transaction<CheckpointTables>,
    name: string,
    owner: string,
    leaseMs: number,
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        lease_owner: owner,
        lease_expires_at: leaseInterval(leaseMs),
        rebuild_lease_expires_at: leaseInterval(leaseMs),
      })
      .where('name', '=', name)
      .execute();
  }

  /** A rebuild that stops (failed, or the caller stopped) frees both leases and puts the status back. */
  static async abandonRebuild(
    trx: Transaction<CheckpointTables>,
    name: string,
    change: { owner: string; status: ProjectionState; failure?: { eventId: string | null; message: string } },
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        status: change.status,
        status_before_rebuild: null,
        rebuild_owner: null,
        rebuild_lease_expires_at: null,
        updated_at: sql<Date>`now()`,
        ...(change.failure ? { error_event_id: change.failure.eventId, error_message: change.failure.message } : {}),
      })
      .where('name', '=', name)
      .execute();
    await trx
      .updateTable(TABLE)
      .set({ lease_owner: null, lease_expires_at: null })
      .where('name', '=', name)
      .where('lease_owner', '=', change.owner)
      .execute();
  }

  /** The swap's last write: the live checkpoint becomes the rebuilt one, leases are freed for the live driver. */
  static async completeRebuild(
    trx: Transaction<CheckpointTables>,
    name: string,
    change: {
      version: number;
      position: LogPosition;
      lastEventAt: Date | null;
      status: ProjectionState;
      tables: readonly string[];
    },
  ): Promise<void> {
    await trx
      .updateTable(TABLE)
      .set({
        version: change.version,
        commit_position: change.position.commit,
        prepare_position: change.position.prepare,
        last_event_at: change.lastEventAt,
        status: change.status,
        error_event_id: null,
        error_message: null,
        lease_owner: null,
        lease_expires_at: null,
        owned_tables: sql`${JSON.stringify(change.tables)}::jsonb` as never,
        status_before_rebuild: null,
        rebuild_version: null,
        rebuild_owner: null,
        rebuild_lease_expires_at: null,
        rebuild_commit_position: null,
        rebuild_prepare_position: null,
        rebuild_target_prepare: null,
        rebuild_events_applied: null,
        rebuild_started_at: null,
        rebuild_last_event_at: null,
        updated_at: sql<Date>`now()`,
      })
      .where('name', '=', name)
      .execute();
  }
}
