import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  AppendResult,
  Direction,
  EventData,
  EventStoreDBClient,
  Filter,
  Position,
  ReadPosition,
  ReadRevision,
} from '@eventstore/db-client';

/**
 * An in-memory stand-in for an EventStoreDB server, for unit tests of the adapter's own logic (idempotency claims,
 * paging, batching, mapping) where no server exists. It mimics the behaviour the adapter relies on, as documented
 * for EventStoreDB 22.6+ and read in the server's source: one ordered log, self-committed events at
 * (commit = prepare = log position), inclusive reads from a position, exclusive subscriptions, the
 * expected-revision check with WrongExpectedVersionError, idempotent retries of the same event ids, and system
 * events in `$all`. It is an assumption written down, not a substitute for running the contract on a server.
 */

interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: true;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: Position;
}

type Listener = (event: StoredEvent) => void;

export class FakeEventStoreDb {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<Listener>();
  private nextLogPosition = 1_000n;
  private appends = 0;
  /** Fails the next appends to streams matching this test before or after writing them (a lost connection). */
  failNextAppend?: { readonly stream: RegExp; readonly when: 'before-write' | 'after-write' };

  constructor(private readonly systemEventEvery = 7) {
    this.writeSystemEvent();
  }

  client(): EventStoreDBClient {
    return new FakeClient(this) as unknown as EventStoreDBClient;
  }

  async append(streamName: string, events: EventData[], expected: AppendExpectedRevision): Promise<AppendResult> {
    await new Promise((resolve) => setImmediate(resolve)); // let concurrent callers interleave, as over a network
    const failure = this.failNextAppend;
    if (failure && failure.stream.test(streamName) && failure.when === 'before-write') {
      this.failNextAppend = undefined;
      throw new UnavailableError();
    }
    const stream = this.streams.get(streamName) ?? [];
    const current: bigint | typeof NO_STREAM = stream.length === 0 ? NO_STREAM : BigInt(stream.length - 1);
    const retried = this.idempotentRetry(stream, events);
    if (retried !== undefined) return { success: true, nextExpectedRevision: retried, position: undefined };
    const matches =
      expected === ANY ||
      (expected === NO_STREAM && current === NO_STREAM) ||
      (expected === STREAM_EXISTS && current !== NO_STREAM) ||
      (typeof expected === 'bigint' && current === expected);
    if (!matches) throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    let last: StoredEvent | undefined;
    for (const event of events) {
      last = this.write(streamName, stream, event.id, event.type, event.data, event.metadata);
    }
    this.streams.set(streamName, stream);
    this.appends += 1;
    if (this.appends % this.systemEventEvery === 0) this.writeSystemEvent();
    if (failure && failure.stream.test(streamName) && failure.when === 'after-write') {
      this.failNextAppend = undefined;
      throw new UnavailableError();
    }
    return { success: true, nextExpectedRevision: last!.revision, position: last!.position };
  }

  /** EventStoreDB answers a write whose event ids are already the stream's, in order, with the earlier result. */
  private idempotentRetry(stream: StoredEvent[], events: EventData[]): bigint | undefined {
    const start = stream.findIndex((stored) => stored.id === events[0]?.id);
    if (start < 0) return undefined;
    const same = events.every((event, index) => stream[start + index]?.id === event.id);
    return same ? BigInt(start + events.length - 1) : undefined;
  }

  private write(
    streamName: string,
    stream: StoredEvent[],
    id: string,
    type: string,
    data: unknown,
    metadata: unknown,
  ): StoredEvent {
    const position = { commit: this.nextLogPosition, prepare: this.nextLogPosition };
    this.nextLogPosition += 137n;
    const stored: StoredEvent = {
      streamId: streamName,
      id,
      revision: BigInt(stream.length),
      type,
      created: new Date(),
      isJson: true,
      data: JSON.parse(JSON.stringify(data)),
      metadata: metadata === undefined ? undefined : JSON.parse(JSON.stringify(metadata)),
      position,
    };
    stream.push(stored);
    this.log.push(stored);
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  private writeSystemEvent(): void {
    const stream = this.streams.get('$stats-fake') ?? [];
    this.streams.set('$stats-fake', stream);
    this.write('$stats-fake', stream, randomUUID(), '$statsCollected', {}, undefined);
  }

  readStream(
    streamName: string,
    fromRevision: ReadRevision,
    direction: Direction,
    maxCount: number,
  ): StoredEvent[] | undefined {
    const stream = this.streams.get(streamName);
    if (!stream || stream.length === 0) return undefined;
    if (direction === BACKWARDS) {
      const from = fromRevision === END ? stream.length - 1 : fromRevision === START ? 0 : Number(fromRevision);
      return stream
        .slice(0, from + 1)
        .reverse()
        .slice(0, maxCount);
    }
    const from = fromRevision === START ? 0 : fromRevision === END ? stream.length : Number(fromRevision);
    return stream.slice(from, from + maxCount);
  }

  readAll(fromPosition: ReadPosition, direction: Direction, maxCount: number): StoredEvent[] {
    if (direction === BACKWARDS) {
      const before =
        fromPosition === END
          ? this.log
          : fromPosition === START
            ? []
            : this.log.filter((e) => comparePositions(e.position, fromPosition) <= 0);
      return before.slice().reverse().slice(0, maxCount);
    }
    const after =
      fromPosition === START
        ? this.log
        : fromPosition === END
          ? []
          : this.log.filter((e) => comparePositions(e.position, fromPosition) >= 0);
    return after.slice(0, maxCount);
  }

  subscribe(fromPosition: ReadPosition, filter: Filter | undefined): Readable & { unsubscribe(): Promise<void> } {
    const accepts = (event: StoredEvent) =>
      !filter || !('regex' in filter) || filter.filterOn !== 'eventType' || new RegExp(filter.regex).test(event.type);
    const stream = new Readable({ objectMode: true, read() {} });
    const listener: Listener = (event) => {
      if (accepts(event)) stream.push({ event });
    };
    setImmediate(() => {
      if (stream.destroyed) return;
      // Catch up (strictly after the position), then go live: both in this same turn, so nothing falls between.
      for (const event of this.log) {
        if (fromPosition === START || (fromPosition !== END && comparePositions(event.position, fromPosition) > 0))
          listener(event);
      }
      this.listeners.add(listener);
    });
    return Object.assign(stream, {
      unsubscribe: async () => {
        this.listeners.delete(listener);
        stream.push(null);
      },
    });
  }

  /** Ends every subscription, as a server going away would. */
  dropSubscriptions(): void {
    this.listeners.clear();
  }
}

class FakeClient {
  private disposed = false;
  constructor(private readonly server: FakeEventStoreDb) {}

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ) {
    this.check();
    return this.server.append(streamName, Array.isArray(events) ? events : [events], options.expectedRevision ?? ANY);
  }

  readStream(
    streamName: string,
    options: { fromRevision?: ReadRevision; direction?: Direction; maxCount?: number | bigint } = {},
  ) {
    this.check();
    const events = this.server.readStream(
      streamName,
      options.fromRevision ?? START,
      options.direction ?? 'forwards',
      Number(options.maxCount ?? Number.MAX_SAFE_INTEGER),
    );
    return streamingRead(
      events === undefined ? new StreamNotFoundError(undefined, streamName) : events.map((event) => ({ event })),
    );
  }

  readAll(options: { fromPosition?: ReadPosition; direction?: Direction; maxCount?: number | bigint } = {}) {
    this.check();
    const events = this.server.readAll(
      options.fromPosition ?? START,
      options.direction ?? 'forwards',
      Number(options.maxCount ?? Number.MAX_SAFE_INTEGER),
    );
    return streamingRead(events.map((event) => ({ event })));
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}) {
    this.check();
    return this.server.subscribe(options.fromPosition ?? START, options.filter);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  private check(): void {
    if (this.disposed) throw new Error('the fake client was disposed');
  }
}

function streamingRead<T>(items: T[] | Error): Readable & { cancel(): Promise<void> } {
  const stream = new Readable({ objectMode: true, read() {} });
  setImmediate(() => {
    if (items instanceof Error) {
      stream.destroy(items);
      return;
    }
    for (const item of items) stream.push(item);
    stream.push(null);
  });
  return Object.assign(stream, { cancel: async () => undefined });
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}
