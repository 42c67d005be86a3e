import { randomUUID } from 'node:crypto';
import { Kysely, Transaction, sql } from 'kysely';
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

  constructor(private readonly database: Database) {
    this.db = database.db as unknown as Kysely<EventStoreTables>;
  }

  async append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events, options);
    const outcome = await this.db.transaction().execute(async (trx): Promise<{ result: AppendResult } | { replayOf: string }> => {
      if (options.idempotencyKey !== undefined) {
        const claimed = await trx
          .insertInto('event_idempotency_keys')
          .values({ idempotency_key: options.idempotencyKey, stream_id: streamId, first_version: 0, last_version: 0 })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('idempotency_key')
          .executeTakeFirst();
        if (!claimed) return { replayOf: options.idempotencyKey };
      }
      const nextVersion = await reserveVersions(trx, streamId, events.length, options);
      const firstVersion = nextVersion - events.length + 1;
      const rows = await trx
        .insertInto('events')
        .values(
          events.map((event, index) => ({
            event_id: event.id ?? randomUUID(),
            stream_id: streamId,
            stream_version: firstVersion + index,
            event_type: event.type,
            schema_version: event.schemaVersion,
            data: JSON.stringify(event.data),
            metadata: JSON.stringify(
              options.idempotencyKey ? { ...event.metadata, idempotencyKey: options.idempotencyKey } : event.metadata,
            ),
            occurred_at: event.occurredAt,
          })),
        )
        .returning(eventColumns)
        .execute();
      if (options.idempotencyKey !== undefined) {
        await trx
          .updateTable('event_idempotency_keys')
          .set({ first_version: firstVersion, last_version: nextVersion })
          .where('idempotency_key', '=', options.idempotencyKey)
          .execute();
      }
      await sql`select pg_notify(${EVENTS_CHANNEL}, ${streamId})`.execute(trx);
      const recorded = (rows as EventRow[]).map(toRecordedEvent).sort((a, b) => a.streamVersion - b.streamVersion);
      return { result: resultOf(streamId, recorded, false) };
    });
    if ('result' in outcome) return outcome.result;
    const first = await this.findAppend(outcome.replayOf);
    if (!first) throw new Error('an idempotency key was claimed but its append is not readable');
    if (first.streamId !== streamId) throw new IdempotencyKeyReusedError(outcome.replayOf, first.streamId);
    return first;
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
    const row = await this.db.selectFrom('event_streams').select('version').where('stream_id', '=', streamId).executeTakeFirst();
    return row ? Number(row.version) : 0;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? START_OF_LOG;
    if (options.types && options.types.length === 0) return [];
    let query = this.db
      .selectFrom('events')
      .select(eventColumns)
      .where(sql<boolean>`(transaction_id, global_position) > (${String(after.commit)}::xid8, ${after.prepare}::bigint)`)
      .where(sql<boolean>`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`);
    if (options.types) query = query.where('event_type', 'in', [...options.types]);
    const rows = await query.orderBy('events.transaction_id').orderBy('events.global_position').limit(options.limit).execute();
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
    return tailLog({ readAll: (o) => this.readAll(o), waitForChange: (ms, signal) => this.bell.wait(ms, signal) }, options);
  }

  private startListening(): void {
    // Notices only shorten the wait; if LISTEN is unavailable the tail still polls.
    this.unlisten ??= this.database.listen(EVENTS_CHANNEL, () => this.bell.ring()).catch(() => undefined);
  }

  async close(): Promise<void> {
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

async function reserveVersions(
  trx: Transaction<EventStoreTables>,
  streamId: string,
  count: number,
  options: AppendOptions,
): Promise<number> {
  const expected = options.expectedVersion;
  let reserved: { version: number } | undefined;
  if (expected === 'no_stream' || expected === 0) {
    reserved = await trx
      .insertInto('event_streams')
      .values({ stream_id: streamId, version: count })
      .onConflict((oc) => oc.column('stream_id').doNothing())
      .returning('version')
      .executeTakeFirst();
  } else if (expected === 'any') {
    reserved = await trx
      .insertInto('event_streams')
      .values({ stream_id: streamId, version: count })
      .onConflict((oc) =>
        oc.column('stream_id').doUpdateSet({ version: sql`event_streams.version + ${count}`, updated_at: sql`now()` }),
      )
      .returning('version')
      .executeTakeFirst();
  } else {
    // The row lock makes a concurrent writer wait here, then re-check the version once the first commits.
    reserved = await trx
      .updateTable('event_streams')
      .set({ version: sql`version + ${count}`, updated_at: sql`now()` })
      .where('stream_id', '=', streamId)
      .where('version', '=', expected)
      .returning('version')
      .executeTakeFirst();
  }
  if (reserved) return Number(reserved.version);
  const actual = await trx.selectFrom('event_streams').select('version').where('stream_id', '=', streamId).executeTakeFirst();
  throw new StreamVersionConflictError(streamId, expected, actual ? Number(actual.version) : 0);
}

function resultOf(streamId: string, events: RecordedEvent[], replayed: boolean): AppendResult {
  const last = events[events.length - 1];
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
