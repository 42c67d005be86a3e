import { sql, Transaction } from 'kysely';
import { comparePositions, LogPosition, START_OF_LOG } from '@helpline/event-store';
import { applyBatch, applyOneByOne, causeOf, isProjectionFailure } from './apply-batch';
import {
  CheckpointRepository,
  CheckpointRow,
  CheckpointTables,
  positionOf,
  ProjectionState,
  rebuildPositionOf,
} from './checkpoint.repository';
import { isEmptyBatch, LogBatch, readBatch } from './log-batch';
import type { AnyProjection, TableNames } from './projection';
import {
  ProjectionFailedError,
  ProjectionRebuildInProgressError,
  ProjectionRebuildLostError,
  ProjectionRunnerStoppedError,
  ProjectionVersionAheadError,
} from './projection.errors';
import { ensureCheckpoint, rebuildOwnerId, RunnerContext } from './runner-context';
import { describeError, isTransientError } from './safe-error';
import { recreateTables, setLogged, swapInShadowTables, unloggedTables } from './table-ddl';
import { shadowTables } from './table-names';

export type RebuildPhase = 'filling' | 'catching-up' | 'swapped';

export interface RebuildProgress {
  readonly projection: string;
  readonly version: number;
  readonly phase: RebuildPhase;
  /** Where the shadow tables stand in the log. */
  readonly position: LogPosition;
  /** Events applied to the shadow tables so far (including those of an earlier, resumed attempt). */
  readonly eventsApplied: number;
}

export interface RebuildOptions {
  /** Stops the rebuild between batches; its progress is kept and the next rebuild resumes from it. */
  readonly signal?: AbortSignal;
  /** Called (and awaited) after each committed batch and once after the swap (e.g. for a CLI progress line). */
  readonly onProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildResult {
  readonly projection: string;
  readonly version: number;
  /** The live checkpoint right after the swap. */
  readonly position: LogPosition;
  readonly eventsApplied: number;
}

/**
 * Rebuilds a projection without downtime:
 * 1. claims the rebuild (a lease of its own in the checkpoint row) and creates the shadow tables, or resumes the
 *    shadow a stopped rebuild of the same version left behind;
 * 2. fills the shadow from the start of the log, one committed window at a time (`rebuildWindow` events, folded
 *    by the projection's own `apply` in one call, so each case's rows are written once per window; the next
 *    window is read while one is applied), while the live tables keep answering (and, at the same version, keep
 *    being fed). On a PostgreSQL server the shadow tables are UNLOGGED while they fill and turned logged once
 *    a read comes back short, before the live projection is frozen;
 * 3. once a read comes back short, takes the live projection's lease: the live checkpoint stops where it is;
 * 4. reads the last events up to at least that checkpoint and, in ONE transaction holding the checkpoint row,
 *    applies them to the shadow, swaps the shadow in and sets the live checkpoint to the shadow's.
 * Readers see the old tables until the swap commits and the new ones after, never a half-built table; the
 * checkpoint never goes back, so a read-your-writes wait that was answered stays answered.
 */
export async function rebuildProjection(
  context: RunnerContext,
  projection: AnyProjection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const owner = rebuildOwnerId(context.ownerId);
  await ensureCheckpoint(context, projection);
  const claim = await claimRebuild(context, projection, owner);
  context.logger.info(
    { projection: projection.name, version: projection.version, resumed: claim.resumed },
    'projection rebuild started',
  );
  let position = claim.position;
  let eventsApplied = claim.eventsApplied;
  let frozenAt: LogPosition | undefined;
  let withHead = true;
  let backoffMs = context.retryMinMs;
  const report = async (phase: RebuildPhase) => {
    try {
      await options.onProgress?.({
        projection: projection.name,
        version: projection.version,
        phase,
        position,
        eventsApplied,
      });
    } catch (error) {
      context.logger.warn(
        { projection: projection.name, error: describeError(error) },
        'rebuild progress callback failed',
      );
    }
  };
  // While filling, the next window is read while the current one is applied (another connection reads it; on
  // PGlite, the one session takes it in turn). It is used only if the rebuild then stands where it was read from.
  let readAhead: { after: LogPosition; batch: Promise<LogBatch> } | undefined;
  const readWindow = (after: LogPosition, head: boolean): Promise<LogBatch> =>
    readBatch(context.store, { after, limit: context.rebuildWindow, types: projection.handles, withHead: head });
  try {
    for (;;) {
      context.checkStopped(options.signal);
      try {
        const ahead = readAhead && comparePositions(readAhead.after, position) === 0 ? readAhead.batch : undefined;
        readAhead = undefined;
        const batch: LogBatch = await (ahead ?? readWindow(position, withHead));
        withHead = !batch.full;
        if (frozenAt && comparePositions(batch.target, frozenAt) >= 0) {
          const outcome = await swapIn(context, projection, owner, position, batch, frozenAt, options.signal);
          if (outcome !== 'unfrozen') {
            position = batch.target;
            eventsApplied += batch.events.length;
          }
          if (outcome === 'swapped') {
            await report('swapped');
            context.logger.info(
              { projection: projection.name, version: projection.version, eventsApplied },
              'projection rebuilt and swapped in',
            );
            return { projection: projection.name, version: projection.version, position, eventsApplied };
          }
          frozenAt = undefined;
          continue;
        }
        if (!isEmptyBatch(position, batch)) {
          if (batch.full && !frozenAt) {
            readAhead = { after: batch.target, batch: readWindow(batch.target, false) };
            readAhead.batch.catch(() => undefined);
          }
          const stillFrozen = await commitShadowBatch(
            context,
            projection,
            owner,
            position,
            batch,
            frozenAt,
            options.signal,
          );
          position = batch.target;
          eventsApplied += batch.events.length;
          if (!stillFrozen) frozenAt = undefined;
          await report(frozenAt ? 'catching-up' : 'filling');
        }
        if (!frozenAt && !batch.full) {
          if (context.unloggedShadow) await makeShadowLogged(context, projection);
          frozenAt = await freezeLive(context, projection, owner, position);
          withHead = true;
        }
        backoffMs = context.retryMinMs;
      } catch (error) {
        readAhead = undefined;
        if (!isTransientError(causeOf(error))) throw error;
        context.logger.warn(
          { projection: projection.name, error: describeError(causeOf(error)) },
          'projection rebuild retrying after a transient error',
        );
        await context.sleep(backoffMs, options.signal);
        backoffMs = Math.min(backoffMs * 2, context.retryMaxMs);
      }
    }
  } catch (error) {
    if (error instanceof ProjectionFailedError || error instanceof ProjectionRebuildLostError) throw error;
    if (context.killed()) throw error;
    if (error instanceof ProjectionRunnerStoppedError) {
      await releaseRebuild(context, projection, owner).catch(() => undefined);
      throw error;
    }
    const message = describeError(causeOf(error));
    await releaseRebuild(context, projection, owner, { eventId: null, message: `rebuild: ${message}` });
    context.logger.error({ projection: projection.name, error: message }, 'projection rebuild failed');
    throw new ProjectionFailedError(projection.name, null, message);
  }
}

interface Claim {
  readonly position: LogPosition;
  readonly eventsApplied: number;
  readonly resumed: boolean;
}

async function claimRebuild(context: RunnerContext, projection: AnyProjection, owner: string): Promise<Claim> {
  const head = await context.store.headPosition();
  return context.db.transaction().execute(async (trx) => {
    const row = await lockedRow(trx, projection);
    if (row.version > projection.version)
      throw new ProjectionVersionAheadError(projection.name, row.version, projection.version);
    if (row.rebuild_owner && row.rebuild_owner !== owner && row.rebuild_lease_live) {
      throw new ProjectionRebuildInProgressError(projection.name, row.rebuild_owner);
    }
    const shadow = shadowTables(projection);
    let resumeFrom = row.rebuild_version === projection.version ? rebuildPositionOf(row) : undefined;
    if (resumeFrom && !(await shadowSurvived(trx, shadow, row))) resumeFrom = undefined;
    if (!resumeFrom) {
      await recreateTables(trx, projection, shadow);
      if (context.unloggedShadow) await setLogged(trx, Object.values(shadow), false);
    }
    await CheckpointRepository.startRebuild(trx, projection.name, {
      owner,
      leaseMs: context.leaseMs,
      version: projection.version,
      fresh: !resumeFrom,
      targetPrepare: head.prepare,
      statusBeforeRebuild: statusToRestore(row),
    });
    return {
      position: resumeFrom ?? START_OF_LOG,
      eventsApplied: resumeFrom ? Number(row.rebuild_events_applied ?? 0) : 0,
      resumed: resumeFrom !== undefined,
    };
  });
}

/**
 * Whether a stopped rebuild's shadow tables still hold what its checkpoint says. An UNLOGGED table is emptied when
 * the server recovers from a crash, so an unlogged shadow is trusted only if the server has not started since the
 * rebuild created it (both times from the server's clock); otherwise the rebuild starts again from the log.
 */
async function shadowSurvived(
  trx: Transaction<CheckpointTables>,
  shadow: TableNames,
  row: CheckpointRow,
): Promise<boolean> {
  if ((await unloggedTables(trx, shadow)).length === 0) return true;
  if (!row.rebuild_started_at) return false;
  const { rows } = await sql<{
    restarted: boolean;
  }>`select pg_postmaster_start_time() >= ${row.rebuild_started_at}::timestamptz as restarted`.execute(trx);
  return rows[0]?.restarted === false;
}

/** Turns the shadow tables logged, once they are full, before the live projection is frozen for the swap. */
async function makeShadowLogged(context: RunnerContext, projection: AnyProjection): Promise<void> {
  const shadow = shadowTables(projection);
  await context.db.transaction().execute(async (trx) => {
    await setLogged(trx, await unloggedTables(trx, shadow), true);
  });
}

/** The status the projection goes back to when the rebuild stops without swapping. */
function statusToRestore(row: CheckpointRow): Exclude<ProjectionState, 'rebuilding'> {
  return row.status === 'rebuilding' ? (row.status_before_rebuild ?? 'running') : row.status;
}

async function lockedRow(trx: Transaction<CheckpointTables>, projection: AnyProjection): Promise<CheckpointRow> {
  const row = await CheckpointRepository.lock(trx, projection.name);
  if (!row) throw new ProjectionRebuildLostError(projection.name);
  return row;
}

/** Locks the row and checks the rebuild is still ours and where we left it; another process may have taken it. */
async function lockOwnedRebuild(
  trx: Transaction<CheckpointTables>,
  projection: AnyProjection,
  owner: string,
  position: LogPosition,
): Promise<CheckpointRow> {
  const row = await lockedRow(trx, projection);
  const at = rebuildPositionOf(row);
  if (
    row.rebuild_owner !== owner ||
    row.rebuild_version !== projection.version ||
    !at ||
    comparePositions(at, position) !== 0
  ) {
    throw new ProjectionRebuildLostError(projection.name);
  }
  return row;
}

function holdsFrozenLive(row: CheckpointRow, owner: string, frozenAt: LogPosition): boolean {
  return row.lease_owner === owner && comparePositions(positionOf(row), frozenAt) === 0;
}

/** Applies one batch to the shadow tables and moves the rebuild's position; true while the live stays frozen. */
async function commitShadowBatch(
  context: RunnerContext,
  projection: AnyProjection,
  owner: string,
  after: LogPosition,
  batch: LogBatch,
  frozenAt: LogPosition | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const shadow = shadowTables(projection);
  try {
    return await context.db.transaction().execute(async (trx) => {
      const row = await lockOwnedRebuild(trx, projection, owner, after);
      await applyBatch(trx, projection, batch.events, shadow);
      context.checkStopped(signal);
      await CheckpointRepository.advanceRebuild(trx, projection.name, {
        position: batch.target,
        applied: batch.events.length,
        lastEventAt: batch.events.at(-1)?.recordedAt,
        leaseMs: context.leaseMs,
      });
      if (!frozenAt || !holdsFrozenLive(row, owner, frozenAt)) return false;
      await CheckpointRepository.takeLiveLease(trx, projection.name, owner, context.leaseMs);
      return true;
    });
  } catch (error) {
    if (!isProjectionFailure(error)) throw error;
    await isolateShadowFailure(context, projection, owner, after, batch, signal);
    return false;
  }
}

/** Takes the live lease: the live loop (in any process) drops its next batch and waits until the swap. */
async function freezeLive(
  context: RunnerContext,
  projection: AnyProjection,
  owner: string,
  position: LogPosition,
): Promise<LogPosition> {
  return context.db.transaction().execute(async (trx) => {
    const row = await lockOwnedRebuild(trx, projection, owner, position);
    await CheckpointRepository.takeLiveLease(trx, projection.name, owner, context.leaseMs);
    return positionOf(row);
  });
}

type SwapOutcome = 'swapped' | 'unfrozen' | 'advanced';

async function swapIn(
  context: RunnerContext,
  projection: AnyProjection,
  owner: string,
  after: LogPosition,
  batch: LogBatch,
  frozenAt: LogPosition,
  signal: AbortSignal | undefined,
): Promise<SwapOutcome> {
  const shadow = shadowTables(projection);
  try {
    return await context.db.transaction().execute(async (trx): Promise<SwapOutcome> => {
      // A long query on a live table must not hold every other reader behind the swap's lock queue for long.
      await sql.raw(`set local lock_timeout = ${Math.max(1, Math.round(context.swapLockTimeoutMs))}`).execute(trx);
      const row = await lockOwnedRebuild(trx, projection, owner, after);
      if (!holdsFrozenLive(row, owner, frozenAt)) return 'unfrozen';
      await applyBatch(trx, projection, batch.events, shadow);
      context.checkStopped(signal);
      // Already logged since the rebuild caught up; this only matters if that step was skipped (e.g. a resumed rebuild).
      await setLogged(trx, await unloggedTables(trx, shadow), true);
      await swapInShadowTables(trx, projection, row.owned_tables ?? []);
      const last = batch.events.at(-1);
      await CheckpointRepository.completeRebuild(trx, projection.name, {
        version: projection.version,
        position: batch.target,
        lastEventAt: last ? new Date(last.recordedAt) : row.rebuild_last_event_at,
        status: row.status === 'stopped' || row.status_before_rebuild === 'stopped' ? 'stopped' : 'running',
        tables: projection.tables,
      });
      return 'swapped';
    });
  } catch (error) {
    if (!isProjectionFailure(error)) throw error;
    await isolateShadowFailure(context, projection, owner, after, batch, signal);
    return 'advanced';
  }
}

/**
 * A batch failed on the shadow: find the event, keep the shadow's progress up to it (a later rebuild of the same
 * version resumes there) and stop with the projection `failed` at that event. If no event fails this time (the
 * failure did not repeat), the batch is committed and the rebuild goes on.
 */
async function isolateShadowFailure(
  context: RunnerContext,
  projection: AnyProjection,
  owner: string,
  after: LogPosition,
  batch: LogBatch,
  signal: AbortSignal | undefined,
): Promise<void> {
  const shadow = shadowTables(projection);
  const failure = await context.db.transaction().execute(async (trx) => {
    await lockOwnedRebuild(trx, projection, owner, after);
    const result = await applyOneByOne(trx, projection, batch.events, shadow);
    context.checkStopped(signal);
    if (!result.failure) {
      await CheckpointRepository.advanceRebuild(trx, projection.name, {
        position: batch.target,
        applied: batch.events.length,
        lastEventAt: batch.events.at(-1)?.recordedAt,
        leaseMs: context.leaseMs,
      });
      return undefined;
    }
    const { index, event, error } = result.failure;
    const lastApplied = batch.events[index - 1];
    await CheckpointRepository.advanceRebuild(trx, projection.name, {
      position: lastApplied?.position ?? after,
      applied: index,
      lastEventAt: lastApplied?.recordedAt,
      leaseMs: context.leaseMs,
    });
    const message = `rebuild: ${describeError(error)}`;
    await CheckpointRepository.abandonRebuild(trx, projection.name, {
      owner,
      status: 'failed',
      failure: { eventId: event.id, message },
    });
    return { event, message };
  });
  if (!failure) return;
  context.logger.error(
    { projection: projection.name, eventId: failure.event.id, eventType: failure.event.type, error: failure.message },
    'projection rebuild stopped at an event it could not apply',
  );
  throw new ProjectionFailedError(projection.name, failure.event.id, failure.message);
}

/** Gives up the rebuild's leases; with a failure the projection is `failed`, otherwise its status is restored. */
async function releaseRebuild(
  context: RunnerContext,
  projection: AnyProjection,
  owner: string,
  failure?: { eventId: string | null; message: string },
): Promise<void> {
  await context.db.transaction().execute(async (trx) => {
    const row = await CheckpointRepository.lock(trx, projection.name);
    if (!row || row.rebuild_owner !== owner) return;
    await CheckpointRepository.abandonRebuild(trx, projection.name, {
      owner,
      status: failure ? 'failed' : statusToRestore(row),
      failure,
    });
  });
}
