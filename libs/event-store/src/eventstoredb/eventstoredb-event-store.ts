import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKWARDS, END, EventStoreDBClient, FORWARDS } from '@eventstore/db-client';
import type { Direction, ReadPosition, ReadRevision, StreamingRead } from '@eventstore/db-client';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  LogPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START_OF_LOG,
  SubscribeOptions,
  comparePositions,
} from '../event-store.port';
import { EventStoreInputError, IdempotencyKeyReusedError, StreamVersionConflictError } from '../event-store.errors';
import {
  ClaimState,
  claimEvent,
  claimStateOf,
  claimStreamOf,
  deriveEventId,
  isClaimStale,
  releaseEvent,
} from './eventstoredb-idempotency';
import {
  isDefiniteRejection,
  isStreamNotFound,
  isVisibleType,
  isWrongExpectedVersion,
  resultOf,
  revisionToVersion,
  subscriptionFilter,
  toAppendError,
  toEsdbPosition,
  toExpectedRevision,
  toLogPosition,
  toProposedEvent,
  toReadPosition,
  toRecordedEvent,
  versionToReadRevision,
} from './eventstoredb-mapping';
import { SubscriptionCursor, batchesFromSubscription } from './eventstoredb-subscription';
import { validateAppend } from '../validate-append';

export interface EventStoreDbOptions {
  /**
   * How long an idempotency key may stay claimed without its events before another request with the same key
   * takes the claim over (the first request died between claiming and appending). Keep it well above the
   * client's append deadline (10 s by default). Default 20 s.
   */
  readonly idempotencyLeaseMs?: number;
}

const DEFAULT_LEASE_MS = 20_000;
const FIRST_WAIT_MS = 10;
const LONGEST_WAIT_MS = 250;
const BACKWARD_PAGE = 100;
const LARGEST_PAGE = 4096;
const RESUBSCRIBE_DELAY_MS = 100;

interface StreamReadOptions {
  readonly fromRevision: ReadRevision;
  readonly direction: Direction;
  readonly maxCount?: number;
}

/**
 * The EventStore port on EventStoreDB, through @eventstore/db-client (gRPC).
 *
 * - A port stream is an EventStoreDB stream of the same name; version = revision + 1.
 * - The global log is `$all`; a `LogPosition` is EventStoreDB's (commit, prepare) position. EventStoreDB's log has
 *   one writer and readers only see what it committed, so reading `$all` in order never skips a late commit.
 * - System events (types starting with `$`) never reach the port's readers.
 * - Idempotency keys: see eventstoredb-idempotency.ts.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly engine = 'eventstoredb' as const;
  private readonly client: EventStoreDBClient;
  private readonly leaseMs: number;
  private readonly tails = new Set<AbortController>();
  private closing?: Promise<void>;

  /**
   * @param connection an `esdb://` or `esdb+discover://` connection string (e.g. `esdb://localhost:2113?tls=false`),
   * or a client made elsewhere. Either way the store owns the client: `close()` disposes it.
   */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbOptions = {}) {
    if (typeof connection === 'string') {
      if (!connection) throw new EventStoreInputError('an EventStoreDB connection string is required');
      this.client = EventStoreDBClient.connectionString(connection);
    } else {
      this.client = connection;
    }
    this.leaseMs = options.idempotencyLeaseMs ?? DEFAULT_LEASE_MS;
  }

  async append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events, options);
    if (options.idempotencyKey === undefined) return this.write(streamId, events, options.expectedVersion);
    return this.appendOnce(streamId, events, options.expectedVersion, options.idempotencyKey);
  }

  /** Appends, then reads the events back: only the server knows their positions and when it recorded them. */
  private async write(
    streamId: string,
    events: readonly EventToAppend[],
    expectedVersion: ExpectedVersion,
    idempotencyKey?: string,
  ): Promise<AppendResult> {
    const proposed = events.map((event, index) =>
      toProposedEvent(
        event,
        event.id ?? (idempotencyKey === undefined ? randomUUID() : deriveEventId(idempotencyKey, streamId, index)),
        idempotencyKey,
      ),
    );
    let written;
    try {
      written = await this.client.appendToStream(streamId, proposed, {
        expectedRevision: toExpectedRevision(expectedVersion),
      });
    } catch (error) {
      throw toAppendError(error, streamId, expectedVersion);
    }
    if (!written.success) {
      // Only when the connection string sets throwOnAppendFailure=false: the revision is then the current one.
      throw new StreamVersionConflictError(streamId, expectedVersion, revisionToVersion(written.nextExpectedRevision));
    }
    const lastVersion = revisionToVersion(written.nextExpectedRevision);
    const recorded = await this.readStreamEvents(streamId, {
      fromRevision: versionToReadRevision(lastVersion - events.length + 1),
      maxCount: events.length,
      direction: FORWARDS,
    });
    if (recorded.length !== events.length || recorded.some((event, index) => event.id !== proposed[index]?.id)) {
      throw new Error(`EventStoreDB acknowledged an append to ${streamId} that reads back differently`);
    }
    return resultOf(streamId, recorded, false);
  }

  /**
   * An append with an idempotency key: claim the key (one winner among concurrent requests), append, and release
   * the claim if the append was refused. A request that finds the key claimed replays the claimant's events, is
   * refused when they are in another stream, or waits while they are still on their way.
   */
  private async appendOnce(
    streamId: string,
    events: readonly EventToAppend[],
    expectedVersion: ExpectedVersion,
    idempotencyKey: string,
  ): Promise<AppendResult> {
    const claimStream = claimStreamOf(idempotencyKey);
    let watched: { revision: bigint; since: number } | undefined;
    let wait = FIRST_WAIT_MS;
    for (;;) {
      if (this.closing) throw new Error('the EventStoreDB event store is closed');
      const claim = await this.readClaim(claimStream);
      if (claim.status === 'claimed') {
        const earlier = await this.findKeyedAppend(claim.streamId, idempotencyKey);
        if (earlier.length > 0) {
          if (claim.streamId !== streamId) throw new IdempotencyKeyReusedError(idempotencyKey, claim.streamId);
          return resultOf(streamId, earlier, true);
        }
        if (watched?.revision !== claim.revision) watched = { revision: claim.revision, since: Date.now() };
        if (!isClaimStale(claim.claimedAt, watched.since, Date.now(), this.leaseMs)) {
          await sleep(wait);
          wait = Math.min(wait * 2, LONGEST_WAIT_MS);
          continue;
        }
      }
      const claimRevision = await this.tryClaim(claimStream, idempotencyKey, streamId, claim);
      if (claimRevision === undefined) continue; // another request claimed it first: look again
      if (claim.status !== 'free') {
        // The key has a history (a released or abandoned claim): an append thought lost may have landed after all.
        const settled = await this.settleEarlierAppend(claimStream, claimRevision, idempotencyKey, streamId, claim);
        if (settled) return settled;
      }
      try {
        return await this.write(streamId, events, expectedVersion, idempotencyKey);
      } catch (error) {
        if (isDefiniteRejection(error)) {
          await this.releaseClaim(claimStream, claimRevision, idempotencyKey, streamId);
        } else {
          // The outcome is unknown (timeout, lost connection): if the events are there, the append happened. If
          // not, the claim stays, and a retry takes it over once the lease expires.
          const landed = await this.findKeyedAppend(streamId, idempotencyKey).catch(() => []);
          if (landed.length > 0) return resultOf(streamId, landed, false);
        }
        throw error;
      }
    }
  }

  /**
   * The append that holds the key, once its events are readable; undefined for an unknown key, a released one,
   * or a claim whose append has not landed (as on PostgreSQL, where an uncommitted claim is invisible).
   */
  async findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    const claim = await this.readClaim(claimStreamOf(idempotencyKey));
    if (claim.status !== 'claimed') return undefined;
    const events = await this.findKeyedAppend(claim.streamId, idempotencyKey);
    return events.length > 0 ? resultOf(claim.streamId, events, true) : undefined;
  }

  private async settleEarlierAppend(
    claimStream: string,
    claimRevision: bigint,
    idempotencyKey: string,
    streamId: string,
    previous: Exclude<ClaimState, { status: 'free' }>,
  ): Promise<AppendResult | undefined> {
    const here = await this.findKeyedAppend(streamId, idempotencyKey);
    if (here.length > 0) return resultOf(streamId, here, true);
    if (previous.streamId !== undefined && previous.streamId !== streamId) {
      const there = await this.findKeyedAppend(previous.streamId, idempotencyKey);
      if (there.length > 0) {
        // Give the key back to the stream that holds its events.
        await this.client
          .appendToStream(claimStream, claimEvent(idempotencyKey, previous.streamId), {
            expectedRevision: claimRevision,
          })
          .catch(() => undefined);
        throw new IdempotencyKeyReusedError(idempotencyKey, previous.streamId);
      }
    }
    return undefined;
  }

  private async readClaim(claimStream: string): Promise<ClaimState> {
    const [last] = await this.readStreamRecords(claimStream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    return claimStateOf(last);
  }

  /** Appends a claim at the claim stream's current revision; undefined when another request got there first. */
  private async tryClaim(
    claimStream: string,
    idempotencyKey: string,
    streamId: string,
    claim: ClaimState,
  ): Promise<bigint | undefined> {
    try {
      const result = await this.client.appendToStream(claimStream, claimEvent(idempotencyKey, streamId), {
        expectedRevision: claim.revision,
      });
      return result.success ? result.nextExpectedRevision : undefined;
    } catch (error) {
      if (isWrongExpectedVersion(error)) return undefined;
      throw error;
    }
  }

  private async releaseClaim(
    claimStream: string,
    claimRevision: bigint,
    idempotencyKey: string,
    streamId: string,
  ): Promise<void> {
    // Best effort: if it fails, the claim expires with its lease instead.
    await this.client
      .appendToStream(claimStream, releaseEvent(idempotencyKey, streamId), { expectedRevision: claimRevision })
      .catch(() => undefined);
  }

  /**
   * The events of the append that carried this key, in stream order: read backwards from the end (a retry usually
   * follows its first attempt closely) until the run of events carrying the key is complete.
   */
  private async findKeyedAppend(streamId: string, idempotencyKey: string): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    let from: ReadRevision = END;
    for (;;) {
      const page = await this.readStreamEvents(streamId, {
        fromRevision: from,
        direction: BACKWARDS,
        maxCount: BACKWARD_PAGE,
      });
      for (const event of page) {
        if (event.metadata.idempotencyKey === idempotencyKey) found.push(event);
        else if (found.length > 0) return found.reverse();
      }
      const oldest = page[page.length - 1];
      if (page.length < BACKWARD_PAGE || !oldest || oldest.streamVersion <= 1) return found.reverse();
      from = BigInt(oldest.streamVersion - 2);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    if (typeof fromVersion !== 'number' || Number.isNaN(fromVersion))
      throw new EventStoreInputError('fromVersion must be a number');
    if (fromVersion > Number.MAX_SAFE_INTEGER) return [];
    return this.readStreamEvents(streamId, { fromRevision: versionToReadRevision(fromVersion), direction: FORWARDS });
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.readStreamRecords(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    return last ? revisionToVersion(last.revision) : 0;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    if (options.types && options.types.length === 0) return [];
    if (!(options.limit > 0)) return [];
    // This client's readAll has no server-side filter (only subscriptions have one): read pages of $all and keep
    // the visible events. One more than the limit, because a read from a position includes the event at it.
    const pageSize = Math.min(options.types ? Math.max(options.limit + 1, 512) : options.limit + 1, LARGEST_PAGE);
    const found: RecordedEvent[] = [];
    let cursor = options.after ?? START_OF_LOG;
    for (;;) {
      const page = await collect(
        this.client.readAll({
          fromPosition: toReadPosition(cursor),
          maxCount: pageSize,
          direction: FORWARDS,
          resolveLinkTos: false,
        }),
      );
      let advanced = false;
      for (const { event } of page) {
        if (!event) continue;
        const position = toLogPosition(event.position);
        if (comparePositions(position, cursor) <= 0) continue;
        cursor = position;
        advanced = true;
        if (!isVisibleType(event.type, options.types)) continue;
        found.push(toRecordedEvent(event));
        if (found.length >= options.limit) return found;
      }
      if (!advanced || page.length < pageSize) return found;
    }
  }

  async headPosition(): Promise<LogPosition> {
    let from: ReadPosition = END;
    let before: LogPosition | undefined;
    for (;;) {
      const page = await collect(
        this.client.readAll({
          fromPosition: from,
          maxCount: BACKWARD_PAGE,
          direction: BACKWARDS,
          resolveLinkTos: false,
        }),
      );
      let advanced = false;
      for (const { event } of page) {
        if (!event) continue;
        const position = toLogPosition(event.position);
        if (before && comparePositions(position, before) >= 0) continue;
        before = position;
        advanced = true;
        if (isVisibleType(event.type)) return position;
      }
      if (!advanced || page.length < BACKWARD_PAGE || !before) return START_OF_LOG;
      from = toEsdbPosition(before);
    }
  }

  /**
   * A catch-up subscription to `$all`, filtered on the server (no system events; only `types` when given), read in
   * batches. If the server ends it, it is opened again after the last event handed out. `close()` ends it too.
   */
  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return this.tail(options);
  }

  private async *tail(options: SubscribeOptions): AsyncGenerator<RecordedEvent[]> {
    const stop = new AbortController();
    if (this.closing) return;
    this.tails.add(stop);
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      if (options.types && options.types.length === 0) {
        // Nothing can match: wait, as a tail over an empty result does, until told to stop.
        await new Promise<void>((resolve) =>
          signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        return;
      }
      const cursor: SubscriptionCursor = { after: options.after ?? START_OF_LOG };
      while (!signal.aborted) {
        const subscription = this.client.subscribeToAll({
          fromPosition: toReadPosition(cursor.after),
          filter: subscriptionFilter(options.types),
          resolveLinkTos: false,
        });
        yield* batchesFromSubscription(subscription, {
          cursor,
          batchSize: options.batchSize ?? 500,
          types: options.types,
          signal,
        });
        if (!signal.aborted) await sleep(RESUBSCRIBE_DELAY_MS, undefined, { signal }).catch(() => undefined);
      }
    } finally {
      this.tails.delete(stop);
    }
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      for (const tail of this.tails) tail.abort();
      await this.client.dispose();
    })();
    return this.closing;
  }

  private async readStreamEvents(streamId: string, options: StreamReadOptions): Promise<RecordedEvent[]> {
    return (await this.readStreamRecords(streamId, options)).map(toRecordedEvent);
  }

  /** The recorded events of a stream read; none when the stream does not exist. */
  private async readStreamRecords(streamId: string, options: StreamReadOptions) {
    try {
      const resolved = await collect(this.client.readStream(streamId, { ...options, resolveLinkTos: false }));
      return resolved.flatMap((entry) => (entry.event ? [entry.event] : []));
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
  }
}

async function collect<T>(read: StreamingRead<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
