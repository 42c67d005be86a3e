import { randomUUID } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import type { Database, Unlisten } from '@helpline/database';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  LogPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START_OF_LOG,
  SubscribeOptions,
} from '../event-store.port';
import { IdempotencyKeyReusedError, StreamVersionConflictError } from '../event-store.errors';
import { validateAppend } from '../validate-append';
import { ChangeBell, tailLog } from '../tail-log';
import { EventRow, EventStoreTables } from './event-store.tables';

export const EVENTS_CHANNEL = 'helpline_events';

/** The most often one store sends its NOTIFY to other processes (their readers poll meanwhile). */
const NOTIFY_INTERVAL_MS = 25;

/**
 * The reference event store on PostgreSQL (a server through pg, or embedded PGlite: one code path).
 *
 * Ordering: every event row records the id of the transaction that wrote it. Readers order the log by
 * (transaction_id, global_position) and only read rows whose transaction id is below the xmin of the current
 * snapshot, i.e. older than every transaction still in progress. A transaction that commits late therefore
 * can never land behind a reader's position: until it ends, nothing at or after it is read.
 */
export class PostgresEventStore implements EventStore {
  readonly engine = 'postgres' as const;
  private readonly db: Kysely<EventStoreTables>;
  private readonly bell = new ChangeBell();
  private unlisten?: Promise<Unlisten | undefined>;
  private readonly appendListeners = new Set<() => void>();
  private notifying?: Promise<void>;
  private notifyPending = false;
  private closed = false;

  constructor(private readonly database: Database) {
    const db = database.db as Kysely<EventStoreTables>;
    this.db = db;
  }

  /**
   * Without an idempotency key an append is one statement (reserve the versions, insert the events, return them)
   * and so one round trip, atomic without BEGIN/COMMIT. With a key, the claim, that statement and the key's
   * versions share a transaction.
   */
  async append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events, options);
    const idempotencyKey = options.idempotencyKey;
    if (idempotencyKey === undefined) {
      const recorded = await insertEvents(this.db, streamId, events, options);
      if (!recorded) throw await this.conflict(streamId, options);
      this.announce();
      return resultOf(streamId, recorded, false);
    }
    const outcome = await this.db
      .transaction()
      .execute(async (trx): Promise<{ result: AppendResult } | { replayOf: string }> => {
        const claimed = await trx
          .insertInto('event_idempotency_keys')
          .values({ idempotency_key: idempotencyKey, stream_id: streamId, first_version: 0, last_version: 0 })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('idempotency_key')
          .executeTakeFirst();
        if (!claimed) return { replayOf: idempotencyKey };
        const recorded = await insertEvents(trx, streamId, events, options);
        if (!recorded) throw await this.conflict(streamId, options, trx);
        await trx
          .updateTable('event_idempotency_keys')
          .set({ first_version: recorded[0]!.streamVersion, last_version: recorded.at(-1)!.streamVersion })
          .where('idempotency_key', '=', idempotencyKey)
          .execute();
        return { result: resultOf(streamId, recorded, false) };
      });
    if ('result' in outcome) {
      this.announce();
      return outcome.result;
    }
    const first = await this.findAppend(outcome.replayOf);
    if (!first) throw new Error('an idempotency key was claimed but its append is not readable');
    if (first.streamId !== streamId) throw new IdempotencyKeyReusedError(outcome.replayOf, first.streamId);
    return first;
  }

  /** Calls `listener` after each append of this instance commits (this process's readers wake at once). */
  onAppended(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /**
   * Wakes the log's readers after an append has committed: this process's at once, other processes' with a
   * NOTIFY sent on its own, at most one per NOTIFY_INTERVAL_MS (appends made meanwhile share the next one).
   * Never one NOTIFY per append inside its transaction: PostgreSQL serialises the commits of every transaction
   * that notifies (a database-wide lock held through the WAL flush), which held concurrent appends to a third
   * of their rate (docs/benchmarks.md). Readers poll anyway: a late or lost notice only delays them.
   */
  private announce(): void {
    this.bell.ring();
    for (const listener of this.appendListeners) listener();
    this.notifyPending = true;
    this.notifying ??= (async () => {
      while (this.notifyPending && !this.closed) {
        this.notifyPending = false;
        await sql`select pg_notify(${EVENTS_CHANNEL}, '')`.execute(this.db).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, NOTIFY_INTERVAL_MS).unref());
      }
    })().finally(() => {
      this.notifying = undefined;
    });
  }

  private async conflict(
    streamId: string,
    options: AppendOptions,
    db: Kysely<EventStoreTables> = this.db,
  ): Promise<StreamVersionConflictError> {
    const actual = await db
      .selectFrom('event_streams')
      .select('version')
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
    return new StreamVersionConflictError(streamId, options.expectedVersion, actual ? Number(actual.version) : 0);
  }

  async findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    const first = await this.db
      .selectFrom('event_idempotency_keys')
      .selectAll()
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    if (!first) return undefined;
    const streamId = first.stream_id;
    const rows = await this.db
      .selectFrom('events')
      .select(eventColumns)
      .where('stream_id', '=', streamId)
      .where('stream_version', '>=', first.first_version)
      .where('stream_version', '<=', first.last_version)
      .orderBy('stream_version')
      .execute();
    return resultOf(streamId, (rows as EventRow[]).map(toRecordedEvent), true);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(eventColumns)
      .where('stream_id', '=', streamId)
      .where('stream_version', '>=', options.fromVersion ?? 1)
      .orderBy('stream_version')
      .execute();
    return (rows as EventRow[]).map(toRecordedEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    const row = await this.db
      .selectFrom('event_streams')
      .select('version')
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
    return row ? Number(row.version) : 0;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? START_OF_LOG;
    if (options.types && options.types.length === 0) return [];
    let query = this.db
      .selectFrom('events')
      .select(eventColumns)
      .where(
        sql<boolean>`(transaction_id, global_position) > (${String(after.commit)}::xid8, ${after.prepare}::bigint)`,
      )
      .where(sql<boolean>`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`);
    if (options.types) query = query.where('event_type', 'in', [...options.types]);
    const rows = await query
      .orderBy('events.transaction_id')
      .orderBy('events.global_position')
      .limit(options.limit)
      .execute();
    return (rows as EventRow[]).map(toRecordedEvent);
  }

  async headPosition(): Promise<LogPosition> {
    const row = await this.db
      .selectFrom('events')
      .select([sql<string>`transaction_id::text`.as('txid'), 'global_position'])
      .where(sql<boolean>`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`)
      .orderBy('events.transaction_id', 'desc')
      .orderBy('events.global_position', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { commit: Number(row.txid), prepare: Number(row.global_position) } : START_OF_LOG;
  }

  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    this.startListening();
    return tailLog(
      { readAll: (o) => this.readAll(o), waitForChange: (ms, signal) => this.bell.wait(ms, signal) },
      options,
    );
  }

  private startListening(): void {
    // Notices only shorten the wait; if LISTEN is unavailable the tail still polls.
    this.unlisten ??= this.database.listen(EVENTS_CHANNEL, () => this.bell.ring()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.notifying;
    this.bell.ring();
    const unlisten = await this.unlisten;
    this.unlisten = undefined;
    await unlisten?.();
  }
}

const eventColumns = [
  'event_id',
  'stream_id',
  'stream_version',
  'event_type',
  'schema_version',
  'data',
  'metadata',
  'occurred_at',
  'recorded_at',
  'global_position',
  sql<string>`transaction_id::text`.as('txid'),
] as const;

/** The same columns for statements written as SQL. */
const eventColumnsSql = [
  ...[
    'event_id',
    'stream_id',
    'stream_version',
    'event_type',
    'schema_version',
    'data',
    'metadata',
    'occurred_at',
    'recorded_at',
    'global_position',
  ].map((column) => sql.ref(column)),
  sql`transaction_id::text as txid`,
];

/**
 * Reserves the stream's next versions and inserts the events in one statement; undefined when the stream is not
 * at the expected version (nothing written). A concurrent writer of the same stream waits on the stream's row
 * and re-checks the version once the first commits, so exactly one of them wins.
 */
async function insertEvents(
  db: Kysely<EventStoreTables>,
  streamId: string,
  events: readonly EventToAppend[],
  options: AppendOptions,
): Promise<RecordedEvent[] | undefined> {
  const count = events.length;
  const expected = options.expectedVersion;
  const reserve =
    expected === 'no_stream' || expected === 0
      ? sql`insert into event_streams (stream_id, version) values (${streamId}, ${count}) on conflict (stream_id) do nothing returning version`
      : expected === 'any'
        ? sql`insert into event_streams (stream_id, version) values (${streamId}, ${count})
              on conflict (stream_id) do update set version = event_streams.version + ${count}, updated_at = now() returning version`
        : sql`update event_streams set version = version + ${count}, updated_at = now()
              where stream_id = ${streamId} and version = ${expected} returning version`;
  const incoming = JSON.stringify(
    events.map((event) => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: options.idempotencyKey ? { ...event.metadata, idempotencyKey: options.idempotencyKey } : event.metadata,
      occurredAt: event.occurredAt,
    })),
  );
  const { rows } = await sql<EventRow>`
    with reserved as (${reserve}),
    incoming as (select e, n from jsonb_array_elements(${incoming}::jsonb) with ordinality as t(e, n))
    insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at)
    select (e->>'id')::uuid, ${streamId}, reserved.version - ${count} + incoming.n, e->>'type', (e->>'schemaVersion')::integer,
           e->'data', e->'metadata', (e->>'occurredAt')::timestamptz
    from reserved cross join incoming
    order by incoming.n
    returning ${sql.join(eventColumnsSql)}`.execute(db);
  if (rows.length === 0) return undefined;
  return rows.map(toRecordedEvent).sort((a, b) => a.streamVersion - b.streamVersion);
}

function resultOf(streamId: string, events: RecordedEvent[], replayed: boolean): AppendResult {
  const last = events.at(-1);
  if (!last) throw new Error(`an append to ${streamId} recorded no event`);
  return { streamId, nextExpectedVersion: last.streamVersion, position: last.position, events, replayed };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata as RecordedEvent['metadata'],
    occurredAt: new Date(row.occurred_at).toISOString(),
    recordedAt: new Date(row.recorded_at).toISOString(),
    position: { commit: Number(row.txid), prepare: Number(row.global_position) },
  };
}
