import { sql } from 'kysely';
import type { RecordedEvent } from '@helpline/event-store';
import type { AnyProjection, ProjectionTransaction, TableNames } from './projection';
import { isTransientError } from './safe-error';

/** An error thrown by a projection's own `apply`, told apart from the runner's own database work. */
export class ApplyError extends Error {
  constructor(cause: unknown) {
    super('The projection threw while applying events', { cause });
    this.name = 'ApplyError';
  }
}

export async function applyBatch(
  trx: ProjectionTransaction,
  projection: AnyProjection,
  events: readonly RecordedEvent[],
  tables: TableNames,
): Promise<void> {
  if (events.length === 0) return;
  try {
    await projection.apply(trx, events, tables);
  } catch (error) {
    throw new ApplyError(error);
  }
}

/** A projection failure worth stopping for (not a lost connection or a deadlock, which a retry resolves). */
export function isProjectionFailure(error: unknown): error is ApplyError {
  return error instanceof ApplyError && !isTransientError(error.cause);
}

/** Unwraps an ApplyError for retry logic and logs. */
export function causeOf(error: unknown): unknown {
  return error instanceof ApplyError ? error.cause : error;
}

export interface IsolatedApply {
  /** How many events, from the first, were applied. */
  readonly applied: number;
  /** The first event that failed, and why; undefined when the whole batch went through this time. */
  readonly failure?: { readonly index: number; readonly event: RecordedEvent; readonly error: unknown };
}

/**
 * Applies a batch one event at a time behind savepoints, to find the event a failed batch stopped at: the
 * events before it stay applied in the transaction, its own partial writes are rolled back. A transient error
 * is thrown on, so the caller retries the whole batch later.
 */
export async function applyOneByOne(
  trx: ProjectionTransaction,
  projection: AnyProjection,
  events: readonly RecordedEvent[],
  tables: TableNames,
): Promise<IsolatedApply> {
  for (const [index, event] of events.entries()) {
    await sql`savepoint projection_event`.execute(trx);
    try {
      await projection.apply(trx, [event], tables);
    } catch (error) {
      if (isTransientError(error)) throw error;
      await sql`rollback to savepoint projection_event`.execute(trx);
      return { applied: index, failure: { index, event, error } };
    }
    await sql`release savepoint projection_event`.execute(trx);
  }
  return { applied: events.length };
}
