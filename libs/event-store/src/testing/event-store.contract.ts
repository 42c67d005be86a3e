import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError, StreamVersionConflictError } from '../event-store.errors';
import { EventStore, EventToAppend, LogPosition, RecordedEvent, comparePositions } from '../event-store.port';
import { eventually } from './eventually';

/**
 * The contract every EventStore adapter passes. `connect()` opens a new client on the same underlying store,
 * so a test can "restart" the client; the harness closes everything it opened in `teardown`.
 */
export interface EventStoreHarness {
  connect(): Promise<EventStore>;
  teardown(): Promise<void>;
}

const actor = { actorId: 'operator-1', actorRole: 'operator' } as const;

export function anEvent(type = 'SomethingHappened', data: Record<string, unknown> = {}): EventToAppend {
  return { type, schemaVersion: 1, data, metadata: actor, occurredAt: '2020-03-01T10:00:00.000Z' };
}

function streamName(prefix = 'case'): string {
  return `${prefix}-${randomUUID()}`;
}

async function drainLog(
  store: EventStore,
  after: LogPosition,
  until: (seen: RecordedEvent[]) => boolean,
  timeoutMs = 60_000,
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const batch of store.subscribe({ after, batchSize: 250, signal: controller.signal })) {
      seen.push(...batch);
      if (until(seen)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

export function describeEventStoreContract(name: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;

    beforeAll(async () => {
      harness = await createHarness();
      store = await harness.connect();
    });
    afterAll(async () => {
      await harness?.teardown();
    });

    describe('appending to a stream', () => {
      it('creates a stream with no_stream, numbering its events from 1, and reads them back in order', async () => {
        const stream = streamName();
        const result = await store.append(stream, [anEvent('A', { n: 1 }), anEvent('B', { n: 2 })], {
          expectedVersion: 'no_stream',
        });
        expect(result.nextExpectedVersion).toBe(2);
        expect(result.replayed).toBe(false);
        const events = await store.readStream(stream);
        expect(events.map((e) => [e.type, e.streamVersion, e.data])).toEqual([
          ['A', 1, { n: 1 }],
          ['B', 2, { n: 2 }],
        ]);
        expect(events[0]!.metadata).toMatchObject(actor);
        expect(events[0]!.occurredAt).toBe('2020-03-01T10:00:00.000Z');
        expect(Date.parse(events[0]!.recordedAt)).not.toBeNaN();
        expect(comparePositions(events[0]!.position, events[1]!.position)).toBe(-1);
        expect(result.position).toEqual(events[1]!.position);
        expect(await store.streamVersion(stream)).toBe(2);
        expect(await store.streamVersion(streamName())).toBe(0);
      });

      it('keeps the event id it was given, and the schema version', async () => {
        const stream = streamName();
        const id = randomUUID();
        await store.append(stream, [{ ...anEvent('A'), id, schemaVersion: 3 }], { expectedVersion: 'no_stream' });
        const [event] = await store.readStream(stream);
        expect(event!.id).toBe(id);
        expect(event!.schemaVersion).toBe(3);
      });

      it('refuses no_stream when the stream exists, saying which version it is at', async () => {
        const stream = streamName();
        await store.append(stream, [anEvent()], { expectedVersion: 'no_stream' });
        const error = await store
          .append(stream, [anEvent()], { expectedVersion: 'no_stream' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StreamVersionConflictError);
        expect(error).toMatchObject({ streamId: stream, expectedVersion: 'no_stream', actualVersion: 1 });
      });

      it('appends at the exact expected version and refuses a stale one with expected and actual', async () => {
        const stream = streamName();
        await store.append(stream, [anEvent(), anEvent()], { expectedVersion: 'no_stream' });
        const ok = await store.append(stream, [anEvent('C')], { expectedVersion: 2 });
        expect(ok.nextExpectedVersion).toBe(3);
        const error = await store.append(stream, [anEvent('D')], { expectedVersion: 2 }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', expectedVersion: 2, actualVersion: 3 });
        const missing = await store.append(streamName(), [anEvent()], { expectedVersion: 5 }).catch((e: unknown) => e);
        expect(missing).toMatchObject({ expectedVersion: 5, actualVersion: 0 });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual([
          'SomethingHappened',
          'SomethingHappened',
          'C',
        ]);
      });

      it('appends with any, whether or not the stream exists', async () => {
        const stream = streamName();
        expect((await store.append(stream, [anEvent()], { expectedVersion: 'any' })).nextExpectedVersion).toBe(1);
        expect(
          (await store.append(stream, [anEvent(), anEvent()], { expectedVersion: 'any' })).nextExpectedVersion,
        ).toBe(3);
      });

      it('reads a stream from a version', async () => {
        const stream = streamName();
        await store.append(stream, [anEvent('A'), anEvent('B'), anEvent('C')], { expectedVersion: 'no_stream' });
        expect((await store.readStream(stream, { fromVersion: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
        expect(await store.readStream(streamName())).toEqual([]);
      });
    });

    describe('concurrent writers', () => {
      it('lets exactly one writer win each version of a stream', async () => {
        const stream = streamName();
        const writers = 6;
        const rounds = 8;
        for (let version = 0; version < rounds; version++) {
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, (_, writer) =>
              store.append(stream, [anEvent('Written', { writer, version })], {
                expectedVersion: version === 0 ? 'no_stream' : version,
              }),
            ),
          );
          const winners = outcomes.filter((o) => o.status === 'fulfilled');
          const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          expect(winners).toHaveLength(1);
          for (const loser of losers) {
            expect(loser.reason).toBeInstanceOf(StreamVersionConflictError);
            expect((loser.reason as StreamVersionConflictError).actualVersion).toBe(version + 1);
          }
        }
        const events = await store.readStream(stream);
        expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
      });

      it('gives a tailing reader every event exactly once, each stream in order, while 8 writers append', async () => {
        const startAt = await store.headPosition();
        const writers = 8;
        const streamsPerWriter = 10;
        const eventsPerStream = 26;
        const total = writers * streamsPerWriter * eventsPerStream; // 2,080 events
        const runTag = randomUUID();
        const ours = (event: RecordedEvent) => (event.data as { runTag?: string }).runTag === runTag;
        const seen: RecordedEvent[] = [];
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 100_000);
        const reader = (async () => {
          for await (const batch of store.subscribe({ after: startAt, batchSize: 100, signal: controller.signal })) {
            seen.push(...batch);
            if (seen.filter(ours).length >= total) break;
          }
        })();
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            const streams = Array.from({ length: streamsPerWriter }, () => streamName('load'));
            const versions = new Map(streams.map((s) => [s, 0]));
            for (let step = 0; step < eventsPerStream; step++) {
              for (const stream of streams) {
                const version = versions.get(stream)!;
                // Some appends carry two events, to mix batch sizes.
                const count = step < eventsPerStream - 1 && (step + writer) % 5 === 0 ? 2 : 1;
                const events = Array.from({ length: Math.min(count, eventsPerStream - version) }, (_, i) =>
                  anEvent('LoadEvent', { runTag, stream, n: version + i + 1 }),
                );
                if (events.length === 0) continue;
                await store.append(stream, events, { expectedVersion: version === 0 ? 'no_stream' : version });
                versions.set(stream, version + events.length);
              }
            }
          }),
        );
        await reader;
        clearTimeout(timer);
        controller.abort();
        const mine = seen.filter(ours);
        expect(mine).toHaveLength(total);
        expect(new Set(mine.map((e) => e.id)).size).toBe(total);
        for (let i = 1; i < seen.length; i++) {
          expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBe(-1);
        }
        const byStream = new Map<string, number[]>();
        for (const event of mine)
          byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.streamVersion]);
        expect(byStream.size).toBe(writers * streamsPerWriter);
        for (const versions of byStream.values()) {
          expect(versions).toEqual(Array.from({ length: eventsPerStream }, (_, i) => i + 1));
        }
      });
    });

    describe('the global log', () => {
      it('reads after a position in order, in batches, filtered by type, up to the head', async () => {
        const from = await store.headPosition();
        const stream = streamName();
        await store.append(stream, [anEvent('Alpha'), anEvent('Beta'), anEvent('Alpha'), anEvent('Gamma')], {
          expectedVersion: 'no_stream',
        });
        // A transaction still open elsewhere on the server (another database's, even) may hold the events back for
        // a moment: the log shows them once it is safe to, never out of order.
        await eventually(async () => (await store.readAll({ after: from, limit: 10 })).length === 4);
        const firstTwo = await store.readAll({ after: from, limit: 2 });
        expect(firstTwo.map((e) => e.type)).toEqual(['Alpha', 'Beta']);
        const rest = await store.readAll({ after: firstTwo[1]!.position, limit: 10 });
        expect(rest.map((e) => e.type)).toEqual(['Alpha', 'Gamma']);
        const alphas = await store.readAll({ after: from, limit: 10, types: ['Alpha'] });
        expect(alphas.map((e) => e.streamVersion)).toEqual([1, 3]);
        expect(await store.headPosition()).toEqual(rest[1]!.position);
      });

      it('wakes a waiting subscriber when an event is appended later', async () => {
        const from = await store.headPosition();
        const stream = streamName();
        const waiting = drainLog(store, from, (seen) => seen.some((e) => e.streamId === stream), 30_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await store.append(stream, [anEvent('Late')], { expectedVersion: 'no_stream' });
        const seen = await waiting;
        expect(seen.some((e) => e.streamId === stream && e.type === 'Late')).toBe(true);
        expect(seen.every((e) => comparePositions(e.position, from) > 0)).toBe(true);
      });
    });

    describe('idempotent appends', () => {
      it('appends nothing for a retried key and returns the first result', async () => {
        const stream = streamName();
        const key = `key-${randomUUID()}`;
        const first = await store.append(stream, [anEvent('A'), anEvent('B')], {
          expectedVersion: 'no_stream',
          idempotencyKey: key,
        });
        const retry = await store.append(stream, [anEvent('A'), anEvent('B')], {
          expectedVersion: 'no_stream',
          idempotencyKey: key,
        });
        expect(retry.replayed).toBe(true);
        expect(retry.nextExpectedVersion).toBe(first.nextExpectedVersion);
        expect(retry.position).toEqual(first.position);
        expect(retry.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
        expect(await store.readStream(stream)).toHaveLength(2);
        expect((await store.readStream(stream))[0]!.metadata.idempotencyKey).toBe(key);
      });

      it('finds an earlier append by its key, and nothing for an unknown key', async () => {
        const stream = streamName();
        const key = `key-${randomUUID()}`;
        const first = await store.append(stream, [anEvent('A')], { expectedVersion: 'no_stream', idempotencyKey: key });
        await store.append(stream, [anEvent('B')], { expectedVersion: 1 });
        const found = await store.findAppend(key);
        expect(found).toMatchObject({
          streamId: stream,
          nextExpectedVersion: 1,
          position: first.position,
          replayed: true,
        });
        expect(found!.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
        expect(await store.findAppend(`key-${randomUUID()}`)).toBeUndefined();
      });

      it('appends once when the same key is retried concurrently', async () => {
        const stream = streamName();
        const key = `key-${randomUUID()}`;
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            store.append(stream, [anEvent('Once')], { expectedVersion: 'any', idempotencyKey: key }),
          ),
        );
        expect(results.filter((r) => !r.replayed)).toHaveLength(1);
        expect(new Set(results.map((r) => r.events[0]!.id)).size).toBe(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('refuses a key already used for another stream', async () => {
        const key = `key-${randomUUID()}`;
        await store.append(streamName(), [anEvent()], { expectedVersion: 'no_stream', idempotencyKey: key });
        const error = await store
          .append(streamName(), [anEvent()], { expectedVersion: 'no_stream', idempotencyKey: key })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
      });

      it('lets a key be used again after its first append failed', async () => {
        const stream = streamName();
        await store.append(stream, [anEvent()], { expectedVersion: 'no_stream' });
        const key = `key-${randomUUID()}`;
        await expect(
          store.append(stream, [anEvent()], { expectedVersion: 7, idempotencyKey: key }),
        ).rejects.toBeInstanceOf(StreamVersionConflictError);
        const ok = await store.append(stream, [anEvent()], { expectedVersion: 1, idempotencyKey: key });
        expect(ok.replayed).toBe(false);
        expect(ok.nextExpectedVersion).toBe(2);
      });
    });

    describe('a restarted client', () => {
      it('reads what the previous client wrote and appends after it', async () => {
        const stream = streamName();
        const key = `key-${randomUUID()}`;
        const first = await harness.connect();
        const written = await first.append(stream, [anEvent('Before')], {
          expectedVersion: 'no_stream',
          idempotencyKey: key,
        });
        await first.close();
        const second = await harness.connect();
        expect((await second.readStream(stream)).map((e) => e.id)).toEqual(written.events.map((e) => e.id));
        const retried = await second.append(stream, [anEvent('Before')], {
          expectedVersion: 'no_stream',
          idempotencyKey: key,
        });
        expect(retried.replayed).toBe(true);
        const after = await second.append(stream, [anEvent('After')], { expectedVersion: 1 });
        expect(after.nextExpectedVersion).toBe(2);
        await eventually(async () =>
          (await second.readAll({ after: written.position, limit: 1000 })).some(
            (e) => e.streamId === stream && e.type === 'After',
          ),
        );
        await second.close();
      });
    });
  });
}

export function positionsStrictlyIncrease(positions: LogPosition[]): boolean {
  return positions.every((p, i) => i === 0 || comparePositions(positions[i - 1]!, p) < 0);
}
