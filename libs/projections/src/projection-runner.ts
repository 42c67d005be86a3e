import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '@helpline/database';
import { ChangeBell, comparePositions, EventStore, LogPosition, START_OF_LOG } from '@helpline/event-store';
import { EVENTS_CHANNEL } from '@helpline/event-store/postgres';
import { applyBatch, applyOneByOne, causeOf, isProjectionFailure } from './apply-batch';
import {
  CheckpointRepository,
  CheckpointRow,
  CheckpointTables,
  liveIsDriven,
  positionOf,
  ProjectionState,
  rebuildPositionOf,
} from './checkpoint.repository';
import { isEmptyBatch, LogBatch, readBatch } from './log-batch';
import type { AnyProjection } from './projection';
import {
  ProjectionDefinitionError,
  ProjectionFailedError,
  ProjectionRebuildInProgressError,
  ProjectionRebuildLostError,
  ProjectionRunnerStoppedError,
  ProjectionVersionAheadError,
  UnknownProjectionError,
} from './projection.errors';
import { ProjectionMetrics } from './projection-metrics';
import { rebuildProjection, RebuildOptions, RebuildResult } from './projection-rebuild';
import {
  ensureCheckpoint,
  ProjectionLogger,
  rebuildOwnerId,
  RunnerContext,
  silentLogger,
  stoppedError,
} from './runner-context';
import { describeError } from './safe-error';
import { liveTables, validateProjection } from './table-names';

/** Calls `onChange` when new events may be in the log; resolves to a function that stops listening. */
export type WakeSource = (onChange: () => void) => Promise<() => Promise<void>>;

/**
 * Wakes the runner on the PostgreSQL event store's appends, so a new event is projected at once instead of at the
 * next poll: this process's appends through the store itself, other processes' through their notices (LISTEN on
 * its channel). Only for the PostgreSQL adapter on the same database.
 */
export function wakeOnPostgresAppends(
  database: Database,
  store?: { onAppended(listener: () => void): () => void },
): WakeSource {
  return async (onChange) => {
    const offAppended = store?.onAppended(onChange);
    const unlisten = await database.listen(EVENTS_CHANNEL, () => onChange());
    return async () => {
      offAppended?.();
      await unlisten();
    };
  };
}

export interface ProjectionRunnerOptions {
  /** Where read models and checkpoints live (always PostgreSQL, on a server or embedded). */
  readonly database: Database;
  /** Where events come from: only the port is used, so the log may be PostgreSQL or EventStoreDB. */
  readonly eventStore: EventStore;
  readonly projections: readonly AnyProjection[];
  /** This process's id in leases; default `<host>:<pid>:<random>`. Two live runners must not share one. */
  readonly ownerId?: string;
  /** Events per batch and transaction (default 500). */
  readonly batchSize?: number;
  /**
   * Events a rebuild reads and applies per transaction to its shadow tables (default 10 000, never below
   * `batchSize`). The projection folds the whole window in memory, so each case's rows are written once per
   * window instead of once per batch touching it; memory grows with the window, not with the history.
   */
  readonly rebuildWindow?: number;
  /**
   * On a PostgreSQL server, a rebuild fills UNLOGGED shadow tables and turns them logged before the swap
   * (default true). PGlite keeps them logged: there, turning a table logged costs what the writes saved.
   */
  readonly unloggedShadow?: boolean;
  /** A lease lasts this long unless renewed (default 15 s); a dead process's projections move after it. */
  readonly leaseMs?: number;
  /** How often a runner that does not drive a projection checks whether it can (default 1 s). */
  readonly standbyPollMs?: number;
  /** Idle polling backs off from min to max (default 5 ms to 1 s); a wake-up or poke cuts the wait short. */
  readonly minPollMs?: number;
  readonly maxPollMs?: number;
  /** Backoff after a transient error (default 100 ms to 10 s). */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  readonly wake?: WakeSource;
  /** The registry for the metrics (default prom-client's global register); false for none. */
  readonly metrics?: Registry | false;
  /** While started, status (and so the lag gauges) is refreshed this often (default 15 s). */
  readonly metricsRefreshMs?: number;
  /** Lag in events is counted up to this many (default 10 000); `lagEventsCapped` says when it was reached. */
  readonly lagCountLimit?: number;
  /** How long the swap of a rebuild waits for readers' locks before trying again (default 5 s). */
  readonly swapLockTimeoutMs?: number;
  readonly logger?: ProjectionLogger;
  /** The clock for lag in seconds (tests). */
  readonly now?: () => Date;
}

export interface ProjectionError {
  /** The event the projection stopped at; null when it failed outside an event (e.g. a rebuild's swap). */
  readonly eventId: string | null;
  /** The error's name and code only (e.g. `DatabaseError [23505] constraint x_pkey`), never its message. */
  readonly message: string;
}

export interface RebuildStatus {
  readonly version: number | null;
  readonly owner: string | null;
  /** False when the process rebuilding stopped or died; calling rebuild again resumes from `position`. */
  readonly active: boolean;
  readonly position: LogPosition | null;
  readonly eventsApplied: number;
  /** 0 to 1, estimated from log positions (exact only at the swap). */
  readonly progress: number;
  readonly startedAt: string | null;
}

export interface ProjectionStatus {
  readonly name: string;
  /** The version this code registers. */
  readonly version: number;
  /** The version of the live tables; null before the projection was first initialised. */
  readonly storedVersion: number | null;
  readonly status: ProjectionState;
  /** The live checkpoint: every event up to it is in the live tables. */
  readonly position: LogPosition;
  /** Recorded time of the last event applied to the live tables. */
  readonly lastEventAt: string | null;
  readonly updatedAt: string | null;
  /** Events of the types the projection handles after its checkpoint (other events are not counted). */
  readonly lagEvents: number;
  readonly lagEventsCapped: boolean;
  /** Now minus the recorded time of the oldest such event; 0 when caught up. */
  readonly lagSeconds: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
  /** This runner drives the live projection now. */
  readonly drivenHere: boolean;
  readonly error: ProjectionError | null;
  readonly rebuild: RebuildStatus | null;
}

interface LiveState {
  leading: boolean;
  position: LogPosition;
  renewedAt: number;
  withHead: boolean;
}

type StepOutcome = 'applied' | 'idle' | 'lost' | 'failed';
type LiveCommit = { kind: 'applied' | 'failed'; position: LogPosition; applied: number } | { kind: 'lost' };

const DEFAULTS = {
  batchSize: 500,
  rebuildWindow: 10_000,
  leaseMs: 15_000,
  standbyPollMs: 1_000,
  minPollMs: 5,
  maxPollMs: 1_000,
  retryMinMs: 100,
  retryMaxMs: 10_000,
  metricsRefreshMs: 15_000,
  lagCountLimit: 10_000,
  swapLockTimeoutMs: 5_000,
  unloggedShadow: true,
} as const;

/**
 * Drives projections from the global log into PostgreSQL read models, exactly once.
 *
 * Per projection, one loop: take the lease in the checkpoint row, read a batch after the checkpoint, then in one
 * transaction lock the row, check it still stands where the batch was read from (and that the lease is still
 * ours), apply the batch and move the checkpoint. A process killed at any point loses only an uncommitted
 * transaction; another process takes the lease once it expires and goes on from the committed checkpoint.
 */
export class ProjectionRunner {
  readonly ownerId: string;
  private readonly projections = new Map<string, AnyProjection>();
  private readonly context: RunnerContext;
  private readonly db: Kysely<CheckpointTables>;
  private readonly metrics?: ProjectionMetrics;
  private readonly settings: Required<
    Omit<ProjectionRunnerOptions, 'ownerId' | 'wake' | 'metrics' | 'logger' | 'projections' | 'database' | 'eventStore'>
  >;
  private readonly logger: ProjectionLogger;
  private readonly loopBells = new Map<string, ChangeBell>();
  /** Rung after every committed live batch: read-your-writes waiters look again. */
  private readonly progress = new ChangeBell();
  private readonly rebuilds = new Map<string, Promise<RebuildResult>>();
  private readonly warned = new Set<string>();
  private lifecycle = new AbortController();
  private loops: Promise<void>[] = [];
  private started = false;
  private aborted = false;
  private metricsTimer?: NodeJS.Timeout;
  private refreshing = false;
  private unwake?: () => Promise<void>;

  constructor(private readonly options: ProjectionRunnerOptions) {
    for (const projection of options.projections) {
      validateProjection(projection);
      if (this.projections.has(projection.name))
        throw new ProjectionDefinitionError(projection.name, 'is registered twice');
      for (const table of projection.tables) {
        const owner = [...this.projections.values()].find((other) => other.tables.includes(table));
        if (owner)
          throw new ProjectionDefinitionError(
            projection.name,
            `table ${table} is owned by projection ${owner.name} too`,
          );
      }
      this.projections.set(projection.name, projection);
      this.loopBells.set(projection.name, new ChangeBell());
    }
    this.ownerId = options.ownerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.settings = {
      batchSize: positive(options.batchSize, DEFAULTS.batchSize),
      rebuildWindow: Math.max(
        positive(options.rebuildWindow, DEFAULTS.rebuildWindow),
        positive(options.batchSize, DEFAULTS.batchSize),
      ),
      leaseMs: positive(options.leaseMs, DEFAULTS.leaseMs),
      standbyPollMs: positive(options.standbyPollMs, DEFAULTS.standbyPollMs),
      minPollMs: positive(options.minPollMs, DEFAULTS.minPollMs),
      maxPollMs: positive(options.maxPollMs, DEFAULTS.maxPollMs),
      retryMinMs: positive(options.retryMinMs, DEFAULTS.retryMinMs),
      retryMaxMs: positive(options.retryMaxMs, DEFAULTS.retryMaxMs),
      metricsRefreshMs: positive(options.metricsRefreshMs, DEFAULTS.metricsRefreshMs),
      lagCountLimit: positive(options.lagCountLimit, DEFAULTS.lagCountLimit),
      swapLockTimeoutMs: positive(options.swapLockTimeoutMs, DEFAULTS.swapLockTimeoutMs),
      unloggedShadow: options.unloggedShadow ?? DEFAULTS.unloggedShadow,
      now: options.now ?? (() => new Date()),
    };
    this.logger = options.logger ?? silentLogger;
    this.db = CheckpointRepository.of(options.database.db);
    this.metrics = options.metrics === false ? undefined : new ProjectionMetrics(options.metrics);
    const sleeper = new ChangeBell();
    this.context = {
      database: options.database,
      db: this.db,
      store: options.eventStore,
      ownerId: this.ownerId,
      batchSize: this.settings.batchSize,
      rebuildWindow: this.settings.rebuildWindow,
      unloggedShadow: this.settings.unloggedShadow && options.database.kind === 'postgres',
      leaseMs: this.settings.leaseMs,
      swapLockTimeoutMs: this.settings.swapLockTimeoutMs,
      retryMinMs: this.settings.retryMinMs,
      retryMaxMs: this.settings.retryMaxMs,
      logger: this.logger,
      killed: () => this.aborted,
      checkStopped: (signal) => {
        if (this.aborted || signal?.aborted) throw stoppedError();
      },
      sleep: (ms, signal) => sleeper.wait(ms, signal),
    };
  }

  get names(): string[] {
    return [...this.projections.keys()];
  }

  /** Creates the checkpoint rows and tables of new projections (start does it; the CLI may call it alone). */
  async initialize(): Promise<void> {
    for (const projection of this.projections.values()) await ensureCheckpoint(this.context, projection);
  }

  /** Starts one loop per projection. Projections whose stored version is older are rebuilt first, by one process. */
  async start(): Promise<void> {
    if (this.aborted) throw stoppedError();
    if (this.started) return;
    this.started = true;
    this.lifecycle = new AbortController();
    const signal = this.lifecycle.signal;
    try {
      await this.initialize();
    } catch (error) {
      this.started = false;
      throw error;
    }
    if (this.options.wake) {
      this.unwake = await this.options
        .wake(() => this.poke())
        .catch((error: unknown) => {
          this.logger.warn(
            { error: describeError(error) },
            'projection runner cannot listen for appends; polling only',
          );
          return undefined;
        });
    }
    this.loops = [...this.projections.values()].map((projection) => this.drive(projection, signal));
    if (this.metrics) {
      this.metricsTimer = setInterval(() => void this.refreshMetrics(), this.settings.metricsRefreshMs);
      this.metricsTimer.unref();
    }
    this.logger.info({ owner: this.ownerId, projections: this.names }, 'projection runner started');
  }

  /**
   * Stops the loops after the batch in flight commits, waits for them and for rebuilds started here (a rebuild
   * keeps its progress for the next one), then frees this process's leases so another process takes over at
   * once. With `releaseLeases: false` the leases run out instead.
   */
  async stop(options: { releaseLeases?: boolean } = {}): Promise<void> {
    this.lifecycle.abort();
    this.ringAll();
    await Promise.allSettled([...this.loops, ...this.rebuilds.values()]);
    this.loops = [];
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    this.metricsTimer = undefined;
    const unwake = this.unwake;
    this.unwake = undefined;
    await unwake?.().catch(() => undefined);
    if (options.releaseLeases !== false && !this.aborted) {
      await CheckpointRepository.releaseLeases(this.db, this.ownerId, this.names).catch(() => undefined);
      await CheckpointRepository.releaseLeases(this.db, rebuildOwnerId(this.ownerId), this.names).catch(
        () => undefined,
      );
    }
    if (this.started) this.logger.info({ owner: this.ownerId }, 'projection runner stopped');
    this.started = false;
    this.lifecycle = new AbortController();
  }

  /**
   * Stops as if the process died: the transaction in flight rolls back, no lease is released, nothing is
   * cleaned up. For failure drills and tests; the runner cannot be started again.
   */
  async abort(): Promise<void> {
    this.aborted = true;
    await this.stop({ releaseLeases: false });
  }

  /** Wakes the loops now (e.g. right after an append in the same process). */
  poke(name?: string): void {
    if (name) this.loopBells.get(name)?.ring();
    else this.ringAll();
  }

  /**
   * Rebuilds a projection into shadow tables and swaps them in (see rebuildProjection). Runs in this process
   * whether or not the runner is started; a second call while one runs here joins it.
   */
  rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    const projection = this.projection(name);
    const running = this.rebuilds.get(name);
    if (running) return running;
    const signals = [this.lifecycle.signal, ...(options.signal ? [options.signal] : [])];
    const promise = rebuildProjection(this.context, projection, {
      ...options,
      signal: AbortSignal.any(signals),
    }).finally(() => {
      this.rebuilds.delete(name);
      this.poke(name);
      this.progress.ring();
    });
    this.rebuilds.set(name, promise);
    return promise;
  }

  /** Resumes a projection stopped at an event (after the code or data is fixed); false if it was not failed. */
  async retry(name: string): Promise<boolean> {
    return this.changeStatus(name, 'failed', 'running');
  }

  /** Stops feeding the live tables (they keep answering); false if it was not running. */
  async pause(name: string): Promise<boolean> {
    return this.changeStatus(name, 'running', 'stopped');
  }

  async resume(name: string): Promise<boolean> {
    return this.changeStatus(name, 'stopped', 'running');
  }

  /**
   * Read-your-writes: resolves true once the projection's checkpoint is at or after `position` (e.g. an
   * append's position), false after `timeoutMs`. The checkpoint moves past events the projection does not
   * handle, so any position of the log is eventually reached.
   */
  async waitForPosition(name: string, position: LogPosition, timeoutMs: number): Promise<boolean> {
    this.projection(name);
    const deadline = Date.now() + Math.max(0, timeoutMs);
    this.poke(name);
    let delayMs = 5;
    for (;;) {
      const row = await CheckpointRepository.find(this.db, name);
      if (row && comparePositions(positionOf(row), position) >= 0) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await this.progress.wait(Math.min(delayMs, remaining));
      delayMs = Math.min(delayMs * 2, 100);
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const rows = new Map((await CheckpointRepository.findAll(this.db, this.names)).map((row) => [row.name, row]));
    const now = this.settings.now();
    const statuses: ProjectionStatus[] = [];
    for (const projection of this.projections.values())
      statuses.push(await this.describe(projection, rows.get(projection.name), now));
    for (const status of statuses) {
      this.metrics?.report({
        name: status.name,
        position: status.position,
        lagEvents: status.lagEvents,
        lagSeconds: status.lagSeconds,
        failed: status.error !== null && (status.status === 'failed' || status.status === 'rebuilding'),
      });
    }
    return statuses;
  }

  async statusOf(name: string): Promise<ProjectionStatus> {
    const projection = this.projection(name);
    const status = (await this.status()).find((s) => s.name === projection.name);
    return status!;
  }

  /** Updates the lag gauges now (the runner does it on a timer while started). */
  async refreshMetrics(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      await this.status();
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'projection metrics refresh failed');
    } finally {
      this.refreshing = false;
    }
  }

  // ---- the live loop -----------------------------------------------------------------------------------

  private async drive(projection: AnyProjection, signal: AbortSignal): Promise<void> {
    const state: LiveState = { leading: false, position: START_OF_LOG, renewedAt: 0, withHead: true };
    let idleMs = this.settings.minPollMs;
    let errorMs = this.settings.retryMinMs;
    while (!signal.aborted) {
      try {
        if (!state.leading || Date.now() - state.renewedAt >= this.settings.leaseMs / 3) {
          const turn = await this.takeTurn(projection, state);
          if (turn === 'again') continue;
          if (turn === 'wait') {
            await this.pauseLoop(projection, this.settings.standbyPollMs, signal);
            continue;
          }
        }
        const outcome = await this.step(projection, state);
        errorMs = this.settings.retryMinMs;
        if (outcome === 'idle') {
          await this.pauseLoop(projection, Math.min(idleMs, this.settings.leaseMs / 3), signal);
          idleMs = Math.min(idleMs * 2, this.settings.maxPollMs);
        } else {
          idleMs = this.settings.minPollMs;
          if (outcome !== 'applied') state.leading = false;
        }
      } catch (error) {
        if (signal.aborted || this.aborted || error instanceof ProjectionRunnerStoppedError) break;
        state.leading = false;
        this.logger.warn(
          { projection: projection.name, error: describeError(causeOf(error)) },
          'projection retrying after an error',
        );
        await this.pauseLoop(projection, errorMs, signal);
        errorMs = Math.min(errorMs * 2, this.settings.retryMaxMs);
      }
    }
  }

  /** Decides what this process does with the projection now: drive it, rebuild it, or stand by. */
  private async takeTurn(projection: AnyProjection, state: LiveState): Promise<'lead' | 'wait' | 'again'> {
    const row = await CheckpointRepository.find(this.db, projection.name);
    if (!row) {
      await ensureCheckpoint(this.context, projection);
      return 'again';
    }
    if (row.version > projection.version) {
      state.leading = false;
      this.warnOnce(
        `${projection.name}:ahead`,
        { projection: projection.name, storedVersion: row.version, version: projection.version },
        'projection is at a newer version in the database; standing by',
      );
      return 'wait';
    }
    if (row.version < projection.version) {
      state.leading = false;
      if (!this.rebuildsAtStart(row, projection)) return 'wait';
      try {
        await this.rebuild(projection.name);
        return 'again';
      } catch (error) {
        if (
          error instanceof ProjectionRebuildInProgressError ||
          error instanceof ProjectionRebuildLostError ||
          error instanceof ProjectionFailedError ||
          error instanceof ProjectionVersionAheadError
        ) {
          return 'wait';
        }
        throw error;
      }
    }
    if (!liveIsDriven(row) || (row.lease_owner !== null && row.lease_owner !== this.ownerId && row.lease_live)) {
      state.leading = false;
      return 'wait';
    }
    const leased = await CheckpointRepository.acquireLease(
      this.db,
      projection.name,
      projection.version,
      this.ownerId,
      this.settings.leaseMs,
    );
    if (!leased) {
      state.leading = false;
      return 'wait';
    }
    if (!state.leading)
      this.logger.info({ projection: projection.name, owner: this.ownerId }, 'projection driven by this process');
    state.leading = true;
    state.position = positionOf(leased);
    state.renewedAt = Date.now();
    return 'lead';
  }

  /** A version bump rebuilds at start-up unless the projection is paused, failed in that rebuild, or rebuilt elsewhere. */
  private rebuildsAtStart(row: CheckpointRow, projection: AnyProjection): boolean {
    if (row.status === 'stopped' || (row.status === 'rebuilding' && row.status_before_rebuild === 'stopped'))
      return false;
    if (row.status === 'failed' && row.rebuild_version === projection.version && rebuildPositionOf(row)) return false;
    return !(row.rebuild_owner && row.rebuild_lease_live && row.rebuild_owner !== rebuildOwnerId(this.ownerId));
  }

  private async step(projection: AnyProjection, state: LiveState): Promise<StepOutcome> {
    const batch = await readBatch(this.context.store, {
      after: state.position,
      limit: this.settings.batchSize,
      types: projection.handles,
      withHead: state.withHead,
    });
    state.withHead = !batch.full;
    if (isEmptyBatch(state.position, batch)) return 'idle';
    const outcome = await this.commitLiveBatch(projection, state.position, batch);
    if (outcome.kind === 'lost') return 'lost';
    state.position = outcome.position;
    state.renewedAt = Date.now();
    this.metrics?.eventsApplied(projection.name, outcome.applied);
    this.metrics?.positionReached(projection.name, outcome.position);
    this.progress.ring();
    return outcome.kind;
  }

  /** The row still says what the batch was read after, at this version, driven, and leased to us. */
  private leads(row: CheckpointRow | undefined, projection: AnyProjection, after: LogPosition): row is CheckpointRow {
    return (
      row !== undefined &&
      row.version === projection.version &&
      liveIsDriven(row) &&
      row.lease_owner === this.ownerId &&
      comparePositions(positionOf(row), after) === 0
    );
  }

  private async commitLiveBatch(projection: AnyProjection, after: LogPosition, batch: LogBatch): Promise<LiveCommit> {
    const tables = liveTables(projection);
    try {
      return await this.db.transaction().execute(async (trx): Promise<LiveCommit> => {
        const row = await CheckpointRepository.lock(trx, projection.name);
        if (!this.leads(row, projection, after)) return { kind: 'lost' };
        await applyBatch(trx, projection, batch.events, tables);
        if (this.aborted) throw stoppedError();
        await CheckpointRepository.advance(trx, projection.name, {
          position: batch.target,
          lastEventAt: batch.events.at(-1)?.recordedAt,
          leaseMs: this.settings.leaseMs,
        });
        return { kind: 'applied', position: batch.target, applied: batch.events.length };
      });
    } catch (error) {
      if (!isProjectionFailure(error)) throw error;
      return this.isolateLiveFailure(projection, after, batch);
    }
  }

  /**
   * A batch failed: apply it again one event at a time to find the event, commit the events before it, and
   * stop the projection there (`failed`, with the event id and the error's name and code). Its own writes and
   * those of the events after it are rolled back; it is never skipped.
   */
  private async isolateLiveFailure(
    projection: AnyProjection,
    after: LogPosition,
    batch: LogBatch,
  ): Promise<LiveCommit> {
    const tables = liveTables(projection);
    const outcome = await this.db.transaction().execute(async (trx) => {
      const row = await CheckpointRepository.lock(trx, projection.name);
      if (!this.leads(row, projection, after)) return { kind: 'lost' as const };
      const result = await applyOneByOne(trx, projection, batch.events, tables);
      if (this.aborted) throw stoppedError();
      if (!result.failure) {
        await CheckpointRepository.advance(trx, projection.name, {
          position: batch.target,
          lastEventAt: batch.events.at(-1)?.recordedAt,
          leaseMs: this.settings.leaseMs,
        });
        return { kind: 'applied' as const, position: batch.target, applied: batch.events.length };
      }
      const { index, event, error } = result.failure;
      const lastApplied = batch.events[index - 1];
      const position = lastApplied?.position ?? after;
      const message = describeError(error);
      await CheckpointRepository.markFailed(trx, projection.name, {
        position,
        lastEventAt: lastApplied?.recordedAt,
        eventId: event.id,
        message,
      });
      return { kind: 'failed' as const, position, applied: index, event, message };
    });
    if (outcome.kind === 'failed') {
      this.logger.error(
        {
          projection: projection.name,
          eventId: outcome.event.id,
          eventType: outcome.event.type,
          error: outcome.message,
        },
        'projection stopped at an event it could not apply',
      );
      this.metrics?.report({
        name: projection.name,
        position: outcome.position,
        lagEvents: 0,
        lagSeconds: 0,
        failed: true,
      });
      return { kind: 'failed', position: outcome.position, applied: outcome.applied };
    }
    return outcome;
  }

  // ---- status --------------------------------------------------------------------------------------------

  private async describe(
    projection: AnyProjection,
    row: CheckpointRow | undefined,
    now: Date,
  ): Promise<ProjectionStatus> {
    const position = row ? positionOf(row) : START_OF_LOG;
    const pending = await this.context.store.readAll({
      after: position,
      limit: this.settings.lagCountLimit,
      types: projection.handles,
    });
    const oldest = pending[0];
    const error = row?.error_message ? { eventId: row.error_event_id, message: row.error_message } : null;
    return {
      name: projection.name,
      version: projection.version,
      storedVersion: row ? row.version : null,
      status: row?.status ?? 'stopped',
      position,
      lastEventAt: iso(row?.last_event_at),
      updatedAt: iso(row?.updated_at),
      lagEvents: pending.length,
      lagEventsCapped: pending.length >= this.settings.lagCountLimit,
      lagSeconds: oldest ? Math.max(0, (now.getTime() - Date.parse(oldest.recordedAt)) / 1000) : 0,
      leaseOwner: row?.lease_owner ?? null,
      leaseExpiresAt: iso(row?.lease_expires_at),
      drivenHere: row?.lease_owner === this.ownerId && row.lease_live,
      error,
      rebuild: row ? rebuildStatusOf(row) : null,
    };
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private projection(name: string): AnyProjection {
    const projection = this.projections.get(name);
    if (!projection) throw new UnknownProjectionError(name);
    return projection;
  }

  private async changeStatus(name: string, from: ProjectionState, to: ProjectionState): Promise<boolean> {
    this.projection(name);
    const changed =
      (await CheckpointRepository.setStatus(this.db, name, [from], to)) ||
      (await CheckpointRepository.setStatusBeforeRebuild(this.db, name, [from], to));
    if (changed) this.logger.info({ projection: name, from, to }, 'projection status changed');
    this.poke(name);
    return changed;
  }

  private pauseLoop(projection: AnyProjection, ms: number, signal: AbortSignal): Promise<void> {
    return this.loopBells.get(projection.name)!.wait(ms, signal);
  }

  private ringAll(): void {
    for (const bell of this.loopBells.values()) bell.ring();
  }

  private warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(fields, message);
  }
}

function rebuildStatusOf(row: CheckpointRow): RebuildStatus | null {
  const position = rebuildPositionOf(row);
  if (row.rebuild_version === null && row.rebuild_owner === null) return null;
  const target = Number(row.rebuild_target_prepare ?? 0);
  const progress = position && target > 0 ? Math.min(0.99, Math.max(0, position.prepare / target)) : 0;
  return {
    version: row.rebuild_version,
    owner: row.rebuild_owner,
    active: row.rebuild_owner !== null && row.rebuild_lease_live,
    position: position ?? null,
    eventsApplied: Number(row.rebuild_events_applied ?? 0),
    progress,
    startedAt: iso(row.rebuild_started_at),
  };
}

function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value).toISOString();
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
