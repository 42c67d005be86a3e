import type { Kysely, Transaction } from 'kysely';
import type { RecordedEvent } from '@helpline/event-store';

/**
 * The actual names of a projection's read-model tables, keyed by the base names it declares. The live mapping
 * is the identity (`{ case_queue: 'case_queue' }`); a rebuild writes to shadow tables (`case_queue__rebuild`);
 * a replay for evaluators can write to another schema (`{ case_queue: 'asof_2026_01.case_queue' }`). A
 * projection never spells a table name itself: it always goes through this mapping.
 */
export type TableNames<TBase extends string = string> = Readonly<Record<TBase, string>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read-model tables are named at run time (live, shadow, as-of schema)
export type ProjectionTransaction = Transaction<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export type ProjectionDb = Kysely<any>;

/**
 * A read model built from the global log. It owns plain PostgreSQL tables and writes them only through kysely
 * inside the transaction the runner gives it, the same transaction that moves its checkpoint.
 *
 * Rules a projection must keep:
 * - `apply(trx, [e1, e2])` has the same effect as `apply(trx, [e1])` then `apply(trx, [e2])`: the runner splits a
 *   batch to find the event that fails.
 * - It reads and writes only the tables in `tables` (and may read other read models' tables at its own risk) and
 *   never commits, rolls back or opens another connection: everything goes through `trx`.
 * - It is deterministic given the events: a rebuild from the start of the log must give the same rows.
 * - It throws to stop: an error leaves the projection `failed` at that event (see ProjectionRunner). Error
 *   messages are not recorded (they may echo personal values); the error's name and `code` are.
 */
export interface Projection<TBase extends string = string> {
  /** Stable identifier; the checkpoint row's key. Lower-case letters, digits, `_`, `-`, `.`. */
  readonly name: string;
  /** Raise it when `createTables` or `apply` change meaning: the runner rebuilds the projection at start-up. */
  readonly version: number;
  /** Event types it reads; the runner reads only those from the log (the checkpoint still moves past others). */
  readonly handles: readonly string[];
  /** Base names of the tables it owns (lower-case SQL identifiers, at most 50 characters, optionally `schema.`). */
  readonly tables: readonly TBase[];
  /**
   * Creates its tables (and their indexes) under the names given. Name indexes after the mapped table
   * (`indexName(tables.case_queue, 'by_operator')`) so the shadow copy's indexes do not collide with the live ones.
   */
  createTables(db: ProjectionTransaction, tables: TableNames<TBase>): Promise<void>;
  /** Applies a batch of events, in log order, to the tables given. */
  apply(trx: ProjectionTransaction, events: readonly RecordedEvent[], tables: TableNames<TBase>): Promise<void>;
}

/** Identity helper that keeps the table-name keys typed: `defineProjection({ ..., tables: ['a', 'b'] as const })`. */
export function defineProjection<TBase extends string>(projection: Projection<TBase>): Projection<TBase> {
  return projection;
}

export type AnyProjection = Projection<string>;
