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
 * Group commit: appends to different streams that arrive while the store's append statements are all busy wait,
 * then go together in one statement and one commit, each with its own answer. An append that arrives while a
 * statement is free goes at once, so one writer waits for nobody.
 */
export interface GroupCommitOptions {
  /** Append statements (each carrying a group) in flight at once. */
  readonly statements: number;
  /** The most appends one statement carries. */
  readonly appends: number;
  /** The most events one statement carries (an append larger than this still goes, alone). */
  readonly events: number;
}

export interface PostgresEventStoreOptions {
  readonly groupCommit?: Partial<GroupCommitOptions>;
}

/**
 * On a server: two statements at once, one waiting for its commit's WAL flush while the next group gathers;
 * four made smaller groups and cost more server CPU per event at 8 writers on two cores (docs/benchmarks.md,
 * "Group commit"). PGlite runs one statement at a time
 * anyway: one, and the appends that arrive meanwhile share the next.
 */
const GROUP_COMMIT_DEFAULTS: Record<Database['kind'], GroupCommitOptions> = {
  postgres: { statements: 2, appends: 64, events: 1_000 },
  pglite: { statements: 1, appends: 64, events: 1_000 },
};

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly options: AppendOptions;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** What one statement did for one append of its group. */
type GroupOutcome =
  | { readonly kind: 'written'; readonly events: RecordedEvent[] }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'replay'; readonly idempotencyKey: string };

/**
 * The reference event store on PostgreSQL (a server through pg, or embedded PGlite: one code path).
 *
 * Ordering: every event row records the id of the transaction that wrote it. Readers order the log by
 * (transaction_id, global_position) and only read rows whose transaction id is below the xmin of the current
 * snapshot, i.e. older than every transaction still in progress. A transaction that commits late therefore
 * can never land behind a reader's position: until it ends, nothing at or after it is read. A group commit is
 * one transaction: its appends share the transaction id and follow each other in global_position, so the
 * same rule holds for them.
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
  private readonly groupCommit: GroupCommitOptions;
  private waiting: PendingAppend[] = [];
  private statementsInFlight = 0;

  constructor(
    private readonly database: Database,
    options: PostgresEventStoreOptions = {},
  ) {
    const db = database.db as Kysely<EventStoreTables>;
    this.db = db;
    this.groupCommit = { ...GROUP_COMMIT_DEFAULTS[database.kind], ...options.groupCommit };
  }

  /**
   * An append is one statement (reserve the versions, insert the events, return them), shared with the other
   * appends of its group; atomic without BEGIN/COMMIT. When an append of the group has an idempotency key, the
   * keys are claimed first and the statement also records or releases them, in one transaction.
   */
  async append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events, options);
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({ streamId, events, options, resolve, reject });
      this.sendGroups();
    });
  }

  private sendGroups(): void {
    while (this.statementsInFlight < this.groupCommit.statements && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.statementsInFlight++;
      void this.commitGroup(group).finally(() => {
        this.statementsInFlight--;
        this.sendGroups();
      });
    }
  }

  /**
   * The waiting appends that can share a statement, oldest first: one per stream (the versions of a stream are
   * decided one append at a time) and one per idempotency key; the others wait for a later group.
   */
  private takeGroup(): PendingAppend[] {
    const group: PendingAppend[] = [];
    const later: PendingAppend[] = [];
    const streams = new Set<string>();
    const keys = new Set<string>();
    let events = 0;
    for (const append of this.waiting) {
      const key = append.options.idempotencyKey;
      const fits =
        group.length === 0 ||
        (group.length < this.groupCommit.appends &&
          events + append.events.length <= this.groupCommit.events &&
          !streams.has(append.streamId) &&
          (key === undefined || !keys.has(key)));
      if (!fits) {
        later.push(append);
        continue;
      }
      group.push(append);
      streams.add(append.streamId);
      if (key !== undefined) keys.add(key);
      events += append.events.length;
    }
    this.waiting = later;
    return group;
  }

  private async commitGroup(group: readonly PendingAppend[]): Promise<void> {
    let outcomes: GroupOutcome[];
    try {
      outcomes = await writeGroup(this.db, group);
    } catch (error) {
      if (group.length > 1 && nothingWritten(error)) {
        // One append's fault (an event id already in the log) or a deadlock with another writer's group fails
        // the whole statement, and none of it was written: each append goes again alone, for its own answer.
        for (const append of group) await this.commitGroup([append]);
        return;
      }
      for (const append of group) append.reject(error);
      return;
    }
    // Answered after the statement's turn is given back: a conflict's or a retry's answer reads the store again.
    group.forEach((append, index) => void this.answer(append, outcomes[index]!));
  }

  private async answer(append: PendingAppend, outcome: GroupOutcome): Promise<void> {
    try {
      if (outcome.kind === 'written') {
        this.announce();
        append.resolve(resultOf(append.streamId, outcome.events, false));
      } else if (outcome.kind === 'conflict') {
        append.reject(await this.conflict(append.streamId, append.options));
      } else {
        const first = await this.findAppend(outcome.idempotencyKey);
        if (!first) throw new Error('an idempotency key was claimed but its append is not readable');
        if (first.streamId !== append.streamId)
          throw new IdempotencyKeyReusedError(outcome.idempotencyKey, first.streamId);
        append.resolve(first);
      }
    } catch (error) {
      append.reject(error);
    }
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

  private async conflict(streamId: string, options: AppendOptions): Promise<StreamVersionConflictError> {
    const actual = await this.db
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
 * Writes one group: for each append, reserves its stream's next versions and inserts its events, in one
 * statement; an append whose stream is not at the expected version reserves and writes nothing, and the others
 * are written all the same. A concurrent writer of the same stream waits on the stream's row and re-checks the
 * version once the first commits, so exactly one of them wins.
 *
 * With idempotency keys, one transaction: the keys are claimed first (an append whose key is taken writes
 * nothing: it is a retry, answered from the first append); the statement then records each written append's
 * versions under its key and releases the keys of the appends that lost on their version, so that the key can
 * be used again.
 */
async function writeGroup(db: Kysely<EventStoreTables>, group: readonly PendingAppend[]): Promise<GroupOutcome[]> {
  if (group.every((append) => append.options.idempotencyKey === undefined)) {
    return outcomesOf(group, new Set(), await insertGroup(db, group, false));
  }
  return db.transaction().execute(async (trx) => {
    const keyed = group
      .filter((append) => append.options.idempotencyKey !== undefined)
      .map((append) => ({ key: append.options.idempotencyKey!, stream: append.streamId }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const { rows } = await sql<{ idempotency_key: string }>`
      insert into event_idempotency_keys (idempotency_key, stream_id, first_version, last_version)
      select key, stream, 0, 0 from jsonb_to_recordset(${JSON.stringify(keyed)}::jsonb) as k(key text, stream text)
      order by key
      on conflict (idempotency_key) do nothing
      returning idempotency_key`.execute(trx);
    const claimed = new Set(rows.map((row) => row.idempotency_key));
    const retries = new Set(keyed.filter(({ key }) => !claimed.has(key)).map(({ key }) => key));
    const writing = group.filter((append) => !retries.has(append.options.idempotencyKey ?? ''));
    const written = writing.length > 0 ? await insertGroup(trx, writing, true) : [];
    return outcomesOf(group, retries, written);
  });
}

function outcomesOf(
  group: readonly PendingAppend[],
  retries: ReadonlySet<string>,
  written: readonly RecordedEvent[],
): GroupOutcome[] {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of written) {
    const events = byStream.get(event.streamId);
    if (events) events.push(event);
    else byStream.set(event.streamId, [event]);
  }
  return group.map((append): GroupOutcome => {
    const key = append.options.idempotencyKey;
    if (key !== undefined && retries.has(key)) return { kind: 'replay', idempotencyKey: key };
    const events = byStream.get(append.streamId);
    if (!events) return { kind: 'conflict' };
    return { kind: 'written', events: events.sort((a, b) => a.streamVersion - b.streamVersion) };
  });
}

/**
 * The statement of a group. Each append reserves its versions by the one way its expected version allows (a new
 * stream, any, or exactly at a version); the events are inserted in the order of the group, so that an append's
 * events follow each other in the log. With `keys`, the idempotency keys the transaction claimed are completed
 * for the appends written and deleted for the others.
 */
async function insertGroup(
  db: Kysely<EventStoreTables>,
  group: readonly PendingAppend[],
  keys: boolean,
): Promise<RecordedEvent[]> {
  if (group.length === 1) return insertOne(db, group[0]!, keys);
  const appends = JSON.stringify(
    group.map((append, index) => {
      const expected = append.options.expectedVersion;
      const key = append.options.idempotencyKey;
      return {
        i: index,
        stream: append.streamId,
        mode: expected === 'no_stream' || expected === 0 ? 'new' : expected === 'any' ? 'any' : 'at',
        expected: typeof expected === 'number' ? expected : null,
        count: append.events.length,
        key: key ?? null,
        events: append.events.map((event) => ({
          id: event.id ?? randomUUID(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: key ? { ...event.metadata, idempotencyKey: key } : event.metadata,
          occurredAt: event.occurredAt,
        })),
      };
    }),
  );
  const completeKeys = keys
    ? sql`,
    completed as (
      update event_idempotency_keys set first_version = reserved.base + 1, last_version = reserved.base + reserved.count
      from reserved where event_idempotency_keys.idempotency_key = reserved.key),
    released as (
      delete from event_idempotency_keys using appends
      where event_idempotency_keys.idempotency_key = appends.key
        and appends.stream not in (select stream from reserved))`
    : sql``;
  const { rows } = await sql<EventRow>`
    with appends as (
      select * from jsonb_to_recordset(${appends}::jsonb)
        as a(i integer, stream text, mode text, expected bigint, count integer, key text, events jsonb)),
    opened as (
      insert into event_streams (stream_id, version)
      select stream, count from appends where mode = 'new' order by stream
      on conflict (stream_id) do nothing
      returning stream_id, version),
    bumped as (
      insert into event_streams (stream_id, version)
      select stream, count from appends where mode = 'any' order by stream
      on conflict (stream_id) do update set version = event_streams.version + excluded.version, updated_at = now()
      returning stream_id, version),
    advanced as (
      update event_streams set version = event_streams.version + appends.count, updated_at = now()
      from appends
      where appends.mode = 'at' and event_streams.stream_id = appends.stream and event_streams.version = appends.expected
      returning event_streams.stream_id, event_streams.version),
    reserved as (
      select appends.*, taken.version - appends.count as base
      from (select * from opened union all select * from bumped union all select * from advanced) as taken
      join appends on appends.stream = taken.stream_id)${completeKeys}
    insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at)
    select (e->>'id')::uuid, reserved.stream, reserved.base + n, e->>'type', (e->>'schemaVersion')::integer,
           e->'data', e->'metadata', (e->>'occurredAt')::timestamptz
    from reserved cross join lateral jsonb_array_elements(reserved.events) with ordinality as t(e, n)
    order by reserved.i, n
    returning ${sql.join(eventColumnsSql)}`.execute(db);
  return rows.map(toRecordedEvent);
}

/**
 * The statement of a group of one, the common case with few writers: the group's statement costs the server about
 * twice as much for one append (its recordset and three reservation paths; docs/benchmarks.md, "Append"), this
 * one reserves by the only way the expected version allows. Same answers: nothing written on a stale version,
 * and with `keys` the claimed key completed, or released when the version was stale.
 */
async function insertOne(db: Kysely<EventStoreTables>, append: PendingAppend, keys: boolean): Promise<RecordedEvent[]> {
  const { streamId, events, options } = append;
  const count = events.length;
  const expected = options.expectedVersion;
  const key = options.idempotencyKey;
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
      metadata: key ? { ...event.metadata, idempotencyKey: key } : event.metadata,
      occurredAt: event.occurredAt,
    })),
  );
  const completeKey =
    keys && key !== undefined
      ? sql`,
    completed as (
      update event_idempotency_keys set first_version = reserved.version - ${count} + 1, last_version = reserved.version
      from reserved where event_idempotency_keys.idempotency_key = ${key}),
    released as (
      delete from event_idempotency_keys
      where idempotency_key = ${key} and not exists (select 1 from reserved))`
      : sql``;
  const { rows } = await sql<EventRow>`
    with reserved as (${reserve}),
    incoming as (select e, n from jsonb_array_elements(${incoming}::jsonb) with ordinality as t(e, n))${completeKey}
    insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at)
    select (e->>'id')::uuid, ${streamId}, reserved.version - ${count} + incoming.n, e->>'type', (e->>'schemaVersion')::integer,
           e->'data', e->'metadata', (e->>'occurredAt')::timestamptz
    from reserved cross join incoming
    order by incoming.n
    returning ${sql.join(eventColumnsSql)}`.execute(db);
  return rows.map(toRecordedEvent);
}

/** SQLSTATE classes after which the statement (and its transaction) left nothing behind: safe to send again. */
function nothingWritten(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && ['22', '23', '40'].includes(code.slice(0, 2));
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
