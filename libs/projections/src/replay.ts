import { sql } from 'kysely';
import type { Database } from '@helpline/database';
import { comparePositions, EventStore, LogPosition, RecordedEvent, START_OF_LOG } from '@helpline/event-store';
import { applyBatch, applyOneByOne, isProjectionFailure } from './apply-batch';
import type { AnyProjection, TableNames } from './projection';
import { ProjectionDefinitionError, ProjectionFailedError } from './projection.errors';
import { describeError } from './safe-error';
import { existingTables, recreateTables } from './table-ddl';
import { liveTables, validateProjection } from './table-names';

export interface ReplayOptions {
  /** Where the tables go (PostgreSQL, kysely). */
  readonly database: Database;
  readonly eventStore: EventStore;
  readonly projection: AnyProjection;
  /** A mapping other than the live tables: `tablesInSchema(projection, 'asof_2026_01')`, or `mapTables(...)`. */
  readonly tables: TableNames;
  /** Only events for which it returns true are applied (e.g. `(e) => e.occurredAt <= cutOff`). */
  readonly until?: (event: RecordedEvent) => boolean;
  /** The last position read (default: the head when the replay starts). */
  readonly stopAt?: LogPosition;
  readonly batchSize?: number;
  /** Tables already under the mapped names are dropped first only when this is true (default: refuse). */
  readonly replaceExisting?: boolean;
  /**
   * Make the tables UNLOGGED (PostgreSQL writes no WAL for them, and they are emptied after a crash): for scratch
   * copies that are dropped after use, such as an as-of report's. Default false.
   */
  readonly unlogged?: boolean;
}

export interface ReplayResult {
  readonly position: LogPosition;
  readonly eventsApplied: number;
}

/**
 * Applies a projection from the start of the log into a separate set of tables, with no checkpoint row and no
 * effect on the live tables: the tables are created (or, with `replaceExisting`, dropped and created again),
 * then filled batch by batch. The ground
 * for evaluators' "as of" read models, and for checking that a live read model equals a clean rebuild.
 */
export async function replayProjection(options: ReplayOptions): Promise<ReplayResult> {
  const { projection, tables, database, eventStore } = options;
  validateProjection(projection);
  const live = liveTables(projection);
  for (const base of projection.tables) {
    if (!tables[base])
      throw new ProjectionDefinitionError(projection.name, `the replay mapping has no table for ${base}`);
    if (tables[base] === live[base])
      throw new ProjectionDefinitionError(projection.name, `a replay must not write the live table ${base}`);
  }
  const batchSize = options.batchSize ?? 500;
  const stopAt = options.stopAt ?? (await eventStore.headPosition());
  await database.db.transaction().execute(async (trx) => {
    const taken = await existingTables(trx, tables);
    if (taken.length > 0 && !options.replaceExisting) {
      throw new ProjectionDefinitionError(
        projection.name,
        `replay target ${taken.join(', ')} already exists (pass replaceExisting to drop it)`,
      );
    }
    await recreateTables(trx, projection, tables);
    if (options.unlogged)
      for (const name of Object.values(tables)) await sql`alter table ${sql.table(name)} set unlogged`.execute(trx);
  });
  const readAfter = (after: LogPosition) => {
    const reading = eventStore.readAll({ after, limit: batchSize, types: projection.handles });
    // Awaited below; until then a failure must not count as unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let position = START_OF_LOG;
  let eventsApplied = 0;
  let next = readAfter(position);
  for (;;) {
    const read = await next;
    const inRange = read.filter((event) => comparePositions(event.position, stopAt) <= 0);
    const events = options.until ? inRange.filter(options.until) : inRange;
    position = inRange.at(-1)?.position ?? position;
    const last = read.length < batchSize || inRange.length < read.length;
    // The next batch is read while this one is applied (another connection, or the next turn on PGlite's one).
    if (!last) next = readAfter(position);
    if (events.length > 0) {
      await applyReplayBatch(database, projection, events, tables);
      eventsApplied += events.length;
    }
    if (last) break;
  }
  return { position, eventsApplied };
}

async function applyReplayBatch(
  database: Database,
  projection: AnyProjection,
  events: RecordedEvent[],
  tables: TableNames,
): Promise<void> {
  try {
    await database.db.transaction().execute((trx) => applyBatch(trx, projection, events, tables));
  } catch (error) {
    if (!isProjectionFailure(error)) throw error;
    const result = await database.db.transaction().execute((trx) => applyOneByOne(trx, projection, events, tables));
    if (result.failure)
      throw new ProjectionFailedError(projection.name, result.failure.event.id, describeError(result.failure.error));
  }
}
