import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import {
  AnyProjection,
  caseReadModelProjections,
  ProjectionLogger,
  ProjectionRunner,
  wakeOnPostgresAppends,
} from '@helpline/projections';
import type { Registry } from 'prom-client';
import { safetyProjections } from '@helpline/safety';
import { evaluationProjection } from '@helpline/evaluation';

/** Every read model the service keeps, in one place: the API, the projector and the CLI run the same list. */
export const allProjections: readonly AnyProjection[] = [
  ...caseReadModelProjections,
  ...safetyProjections,
  evaluationProjection,
];

export interface RunnerSetup {
  database: Database;
  eventStore: EventStore;
  settings: Settings;
  logger?: ProjectionLogger;
  metrics?: Registry | false;
  ownerId?: string;
}

export function createProjectionRunner(setup: RunnerSetup): ProjectionRunner {
  return new ProjectionRunner({
    database: setup.database,
    eventStore: setup.eventStore,
    projections: [...allProjections],
    // NOTIFY wakes the runner at once when the log is in PostgreSQL; on EventStoreDB it polls with backoff.
    wake:
      setup.eventStore.engine === 'postgres'
        ? wakeOnPostgresAppends(setup.database, appendNotifier(setup.eventStore))
        : undefined,
    logger: setup.logger,
    metrics: setup.metrics,
    ownerId: setup.ownerId,
  });
}

/** The store's in-process append signal, when it has one (PostgresEventStore). */
function appendNotifier(store: EventStore): { onAppended(listener: () => void): () => void } | undefined {
  const candidate = store as Partial<{ onAppended(listener: () => void): () => void }>;
  return typeof candidate.onAppended === 'function'
    ? (candidate as { onAppended(listener: () => void): () => void })
    : undefined;
}
