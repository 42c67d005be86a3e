import { comparePositions } from '@helpline/event-store';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import type { Database } from '@helpline/database';
import type { AppendResult, EventStore, EventToAppend, LogPosition } from '@helpline/event-store';
import type { AnyProjection, TableNames } from '../projection';
import { ProjectionRunner, ProjectionRunnerOptions } from '../projection-runner';
import { replayProjection } from '../replay';
import { tablesInSchema } from '../table-names';

const actor = { actorId: 'operator-test', actorRole: 'operator' } as const;

export function testEvent(
  type: string,
  data: Record<string, unknown> = {},
  occurredAt = '2020-03-01T10:00:00.000Z',
): EventToAppend {
  return { type, schemaVersion: 1, data, metadata: actor, occurredAt };
}

/** Appends `count` events round-robin over `streams` new streams, one append per event; returns the appends. */
export async function appendEvents(
  store: EventStore,
  count: number,
  options: {
    streams?: number;
    type: string | ((index: number) => string);
    data?: (index: number) => Record<string, unknown>;
    occurredAt?: (index: number) => string;
  },
): Promise<AppendResult[]> {
  const streams = Array.from({ length: options.streams ?? 3 }, () => `case-${randomUUID()}`);
  const results: AppendResult[] = [];
  for (let index = 0; index < count; index++) {
    const type = typeof options.type === 'string' ? options.type : options.type(index);
    const event = testEvent(type, options.data?.(index) ?? { n: index }, options.occurredAt?.(index));
    results.push(await store.append(streams[index % streams.length]!, [event], { expectedVersion: 'any' }));
  }
  // On a shared server, a transaction open in another database holds the log back for a moment: tests start
  // from a log that shows everything they appended, as a reader will once that transaction ends.
  if (results.length > 0) {
    const last = lastPosition(results);
    await waitUntil(
      async () => comparePositions(await store.headPosition(), last) >= 0,
      30_000,
      'the appended events to become visible',
    );
  }
  return results;
}

export function lastPosition(results: readonly AppendResult[]): LogPosition {
  return results[results.length - 1]!.position;
}

/** Runner defaults for tests: short leases and polls, a registry of its own. */
export function testRunner(
  options: Pick<ProjectionRunnerOptions, 'database' | 'eventStore' | 'projections'> & Partial<ProjectionRunnerOptions>,
): ProjectionRunner {
  return new ProjectionRunner({
    metrics: new Registry(),
    leaseMs: 200,
    standbyPollMs: 20,
    maxPollMs: 50,
    retryMinMs: 10,
    retryMaxMs: 100,
    ...options,
    // A test that sets small batches to watch a rebuild step by step gets rebuild windows of that size too.
    rebuildWindow: options.rebuildWindow ?? options.batchSize,
  });
}

/** Every row of every table of a mapping, in a stable order, keyed by base name. */
export async function snapshotTables(
  database: Database,
  projection: AnyProjection,
  tables: TableNames,
): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const base of projection.tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(tables[base]!)}`.execute(database.db);
    snapshot[base] = rows.map((row) => JSON.stringify(withoutColumn(row, 'serial'))).sort();
  }
  return snapshot;
}

function withoutColumn(row: Record<string, unknown>, column: string): Record<string, unknown> {
  const copy = { ...row };
  delete copy[column];
  return copy;
}

/** What a clean rebuild gives: the projection replayed from the start into a schema of its own. */
export async function cleanReplay(
  database: Database,
  store: EventStore,
  projection: AnyProjection,
  stopAt?: LogPosition,
): Promise<Record<string, unknown[]>> {
  const schema = `check_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const tables = tablesInSchema(projection, schema);
  await replayProjection({ database, eventStore: store, projection, tables, stopAt });
  const snapshot = await snapshotTables(database, projection, tables);
  await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
  return snapshot;
}

export async function countRows(database: Database, table: string): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)}`.execute(
    database.db,
  );
  return Number(rows[0]!.count);
}

export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A gate a test opens: `reached` resolves when code arrives at it, `open()` lets it through. */
export function gate(): { wait: () => Promise<void>; reached: Promise<void>; open: () => void } {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const opened = new Promise<void>((resolve) => (release = resolve));
  return {
    reached,
    open: () => release(),
    wait: async () => {
      arrive();
      await opened;
    },
  };
}

export async function metricValue(registry: Registry, name: string, projection: string): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  return values.find((value) => value.labels.projection === projection)?.value;
}
