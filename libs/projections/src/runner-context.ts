import type { Kysely } from 'kysely';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { CheckpointRepository, CheckpointTables } from './checkpoint.repository';
import type { AnyProjection } from './projection';
import { ProjectionDefinitionError, ProjectionRunnerStoppedError } from './projection.errors';
import { ensureSchemas, existingTables } from './table-ddl';
import { liveTables } from './table-names';

/** pino's call shape, so a pino logger can be passed as is. */
export interface ProjectionLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: ProjectionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What the live loop and the rebuild share. */
export interface RunnerContext {
  readonly database: Database;
  readonly db: Kysely<CheckpointTables>;
  readonly store: EventStore;
  readonly ownerId: string;
  readonly batchSize: number;
  /** Events per read and per shadow transaction in a rebuild (at least batchSize). */
  readonly rebuildWindow: number;
  /** A fresh rebuild's shadow tables are UNLOGGED until the rebuild has caught up (PostgreSQL server only). */
  readonly unloggedShadow: boolean;
  readonly leaseMs: number;
  readonly swapLockTimeoutMs: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  readonly logger: ProjectionLogger;
  /** True once the runner was aborted (a simulated crash): nothing is cleaned up, leases are left to expire. */
  readonly killed: () => boolean;
  /** Throws ProjectionRunnerStoppedError when the runner is stopping or the signal aborted. */
  checkStopped(signal?: AbortSignal): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The id a rebuild uses for its leases: distinct from the live loop of the same runner. */
export function rebuildOwnerId(ownerId: string): string {
  return `${ownerId}/rebuild`;
}

/**
 * Creates the checkpoint row at the start of the log and the live tables, in one transaction, when the
 * projection is new. A table already under one of the names is never dropped: it may be someone else's (or a
 * read model whose checkpoint row was deleted by hand); the operator decides.
 */
export async function ensureCheckpoint(context: RunnerContext, projection: AnyProjection): Promise<void> {
  if (await CheckpointRepository.find(context.db, projection.name)) return;
  await context.db.transaction().execute(async (trx) => {
    const created = await CheckpointRepository.insertIfMissing(
      trx,
      projection.name,
      projection.version,
      projection.tables,
    );
    if (!created) return;
    const tables = liveTables(projection);
    const taken = await existingTables(trx, tables);
    if (taken.length > 0) {
      throw new ProjectionDefinitionError(
        projection.name,
        `table ${taken.join(', ')} already exists without a checkpoint for it; drop it or rename the projection's tables`,
      );
    }
    await ensureSchemas(trx, tables);
    await projection.createTables(trx, tables);
  });
}

export function stoppedError(): ProjectionRunnerStoppedError {
  return new ProjectionRunnerStoppedError();
}
