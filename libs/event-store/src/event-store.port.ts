/**
 * The EventStore port: what the application needs of an event store, implemented by the PostgreSQL adapter
 * (reference, on pg or embedded PGlite) and the EventStoreDB adapter. Both pass the same contract suite
 * (testing/event-store.contract.ts).
 */

/**
 * A place in the global log. Two numbers, as in EventStoreDB: `commit` orders transactions (on PostgreSQL
 * the writer's transaction id, on EventStoreDB the commit position) and `prepare` orders events inside it
 * (the global sequence number, or the prepare position). Compare with `comparePositions`.
 */
export interface LogPosition {
  readonly commit: number;
  readonly prepare: number;
}

export const START_OF_LOG: LogPosition = Object.freeze({ commit: 0, prepare: 0 });

/** `no_stream`: the stream must not exist; a number: the stream must hold exactly that many events; `any`. */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export interface EventMetadata {
  readonly actorId: string;
  readonly actorRole: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** A digest of the request that produced the events, to tell a retry from a reused key. */
  readonly requestFingerprint?: string;
}

export interface EventToAppend<TData = unknown> {
  /** A UUID; the store makes one when absent. */
  readonly id?: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  /** When it happened in the world (ISO-8601); the store adds when it was recorded. */
  readonly occurredAt: string;
}

export interface RecordedEvent<TData = unknown> {
  readonly id: string;
  readonly streamId: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly position: LogPosition;
}

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
  /** The same key again appends nothing and returns the first append's result. */
  readonly idempotencyKey?: string;
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append: the version to expect next time. */
  readonly nextExpectedVersion: number;
  /** Where the append's last event stands in the global log. */
  readonly position: LogPosition;
  readonly events: readonly RecordedEvent[];
  /** True when this call replayed an earlier append with the same idempotency key. */
  readonly replayed: boolean;
}

export interface ReadStreamOptions {
  /** First stream version to return (1-based). */
  readonly fromVersion?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. */
  readonly after?: LogPosition;
  readonly limit: number;
  /** Only these event types (still in log order). */
  readonly types?: readonly string[];
}

export interface SubscribeOptions {
  readonly after?: LogPosition;
  readonly batchSize?: number;
  readonly types?: readonly string[];
  readonly signal?: AbortSignal;
}

export interface EventStore {
  readonly engine: 'postgres' | 'eventstoredb';
  append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult>;
  /**
   * The earlier append made with this idempotency key, if any: lets a caller answer a retried request before
   * deciding anything again (the state may have moved on since the first attempt).
   */
  findAppend(idempotencyKey: string): Promise<AppendResult | undefined>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The stream's current version (0 when it does not exist). */
  streamVersion(streamId: string): Promise<number>;
  /** The global log, in order, after a position; never skips an event whose transaction commits late. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the last event a reader can see now. */
  headPosition(): Promise<LogPosition>;
  /**
   * Tails the global log: yields batches in order, waiting (without busy looping) for new events, until the
   * signal aborts.
   */
  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent[]>;
  close(): Promise<void>;
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  return a.commit !== b.commit ? Math.sign(a.commit - b.commit) : Math.sign(a.prepare - b.prepare);
}

export function formatPosition(position: LogPosition): string {
  return `${position.commit}:${position.prepare}`;
}

export function parsePosition(text: string): LogPosition | undefined {
  const match = /^(\d{1,16}):(\d{1,16})$/.exec(text.trim());
  if (!match) return undefined;
  const commit = Number(match[1]);
  const prepare = Number(match[2]);
  return Number.isSafeInteger(commit) && Number.isSafeInteger(prepare) ? { commit, prepare } : undefined;
}
