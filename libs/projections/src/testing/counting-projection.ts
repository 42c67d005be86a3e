import { sql } from 'kysely';
import type { RecordedEvent } from '@helpline/event-store';
import type { Projection, ProjectionTransaction, TableNames } from '../projection';
import { indexName } from '../table-names';

export type CountingTable = 'streams' | 'types' | 'applied';

export interface CountingProjectionOptions {
  /** Projection name (default `counting`); its tables are `<name>_streams`, `<name>_types`, `<name>_applied`. */
  readonly name?: string;
  readonly version?: number;
  readonly handles?: readonly string[];
  /** What each event adds to the counts (a v2 may count differently: proves a rebuild re-applied everything). */
  readonly weight?: number;
  /** Fail on a gap in a stream's versions (only meaningful when the projection handles every type of the stream). */
  readonly checkStreamGaps?: boolean;
  /** The projection throws CountingPoisonError on these events, after writing rows for the events before them. */
  readonly failOn?: (event: RecordedEvent) => boolean;
  /** Called inside `apply` after the batch's rows are written, before the runner commits (kill drills). */
  readonly afterWrite?: (events: readonly RecordedEvent[]) => Promise<void>;
}

/** Thrown on purpose; its message echoes event data, which the runner must not record. */
export class CountingPoisonError extends Error {
  readonly code = 'TEST_POISON';
  constructor(event: RecordedEvent) {
    super(`cannot count event with data ${JSON.stringify(event.data)}`);
    this.name = 'CountingPoisonError';
  }
}

export class CountingGapError extends Error {
  readonly code = 'TEST_STREAM_GAP';
  constructor() {
    super('a stream version was skipped or repeated');
    this.name = 'CountingGapError';
  }
}

/**
 * The test projection: per stream and per event type, how many events (times `weight`), and one row per
 * applied event (its primary key makes a second application of an event fail the projection).
 */
export function createCountingProjection(
  options: CountingProjectionOptions = {},
): Projection & { readonly tableNames: Readonly<Record<CountingTable, string>> } {
  const name = options.name ?? 'counting';
  const prefix = name.replace(/[^a-z0-9_]/g, '_');
  const base = { streams: `${prefix}_streams`, types: `${prefix}_types`, applied: `${prefix}_applied` } as const;
  const weight = options.weight ?? 1;
  // The table names are the base names, so the mapping is keyed by them; `tableNames` gives them back by role.
  const pick = (tables: TableNames, role: CountingTable) => tables[base[role]];
  return {
    name,
    version: options.version ?? 1,
    handles: options.handles ?? ['CounterIncremented', 'CounterDecremented', 'CounterNoted'],
    tables: Object.values(base),
    tableNames: base,
    async createTables(trx: ProjectionTransaction, tables: TableNames) {
      await trx.schema
        .createTable(pick(tables, 'streams')!)
        .addColumn('stream_id', 'text', (col) => col.primaryKey())
        .addColumn('events', 'integer', (col) => col.notNull())
        .addColumn('last_version', 'integer', (col) => col.notNull())
        .execute();
      await trx.schema
        .createTable(pick(tables, 'types')!)
        .addColumn('event_type', 'text', (col) => col.primaryKey())
        .addColumn('events', 'integer', (col) => col.notNull())
        .execute();
      await trx.schema
        .createTable(pick(tables, 'applied')!)
        .addColumn('event_id', 'text', (col) => col.primaryKey())
        .addColumn('stream_id', 'text', (col) => col.notNull())
        .addColumn('stream_version', 'integer', (col) => col.notNull())
        .addColumn('serial', 'bigserial')
        .execute();
      await trx.schema
        .createIndex(indexName(pick(tables, 'applied')!, 'by_stream'))
        .on(pick(tables, 'applied')!)
        .columns(['stream_id', 'stream_version'])
        .execute();
    },
    async apply(trx: ProjectionTransaction, events: readonly RecordedEvent[], tables: TableNames) {
      const streams = pick(tables, 'streams');
      const types = pick(tables, 'types');
      const applied = pick(tables, 'applied');
      const written: RecordedEvent[] = [];
      for (const event of events) {
        if (options.failOn?.(event)) {
          // Rows of the events before it are written in this transaction: the runner must roll them back.
          if (written.length > 0) await insertApplied(trx, applied!, written);
          throw new CountingPoisonError(event);
        }
        written.push(event);
      }
      await insertApplied(trx, applied!, written);
      if (options.checkStreamGaps) await checkGaps(trx, streams!, events);
      const perStream = new Map<string, { events: number; last: number }>();
      const perType = new Map<string, number>();
      for (const event of events) {
        const stream = perStream.get(event.streamId) ?? { events: 0, last: 0 };
        stream.events += weight;
        stream.last = Math.max(stream.last, event.streamVersion);
        perStream.set(event.streamId, stream);
        perType.set(event.type, (perType.get(event.type) ?? 0) + weight);
      }
      await trx
        .insertInto(streams!)
        .values([...perStream].map(([stream_id, s]) => ({ stream_id, events: s.events, last_version: s.last })))
        .onConflict((oc) =>
          oc.column('stream_id').doUpdateSet({
            events: sql`${sql.table(streams!)}.events + excluded.events`,
            last_version: sql`greatest(${sql.table(streams!)}.last_version, excluded.last_version)`,
          }),
        )
        .execute();
      await trx
        .insertInto(types!)
        .values([...perType].map(([event_type, count]) => ({ event_type, events: count })))
        .onConflict((oc) =>
          oc.column('event_type').doUpdateSet({ events: sql`${sql.table(types!)}.events + excluded.events` }),
        )
        .execute();
      await options.afterWrite?.(events);
    },
  };
}

async function insertApplied(
  trx: ProjectionTransaction,
  table: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  await trx
    .insertInto(table)
    .values(
      events.map((event) => ({ event_id: event.id, stream_id: event.streamId, stream_version: event.streamVersion })),
    )
    .execute();
}

async function checkGaps(trx: ProjectionTransaction, streams: string, events: readonly RecordedEvent[]): Promise<void> {
  const ids = [...new Set(events.map((event) => event.streamId))];
  const rows = await trx
    .selectFrom(streams)
    .select(['stream_id', 'last_version'])
    .where('stream_id', 'in', ids)
    .execute();
  const last = new Map<string, number>(rows.map((row) => [row.stream_id as string, Number(row.last_version)]));
  for (const event of events) {
    if (event.streamVersion !== (last.get(event.streamId) ?? 0) + 1) throw new CountingGapError();
    last.set(event.streamId, event.streamVersion);
  }
}
