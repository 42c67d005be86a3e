import { randomUUID } from 'node:crypto';
import { NO_STREAM, jsonEvent } from '@eventstore/db-client';
import type { EventStoreDBClient, JSONType } from '@eventstore/db-client';
import { IdempotencyKeyReusedError, StreamVersionConflictError } from '../../event-store.errors';
import type { AppendResult } from '../../event-store.port';
import { anEvent } from '../../testing/event-store.contract';
import { EventStoreDbEventStore, EventStoreDbOptions } from '../eventstoredb-event-store';
import { claimEvent, claimStreamOf } from '../eventstoredb-idempotency';

export interface EventStoreDbHarness {
  /** A store on a new client; the harness closes it in `teardown`. */
  open(options?: EventStoreDbOptions): EventStoreDbEventStore;
  /** A plain client on the same server, to write what a crashed or foreign writer would leave. */
  readonly raw: EventStoreDBClient;
  teardown(): Promise<void>;
}

/**
 * What the EventStoreDB adapter does beyond the shared contract: how idempotency keys live in EventStoreDB.
 * Run on a real server by the int-spec, and on the in-memory stand-in by the unit spec.
 */
export function describeEventStoreDbBehaviour(name: string, createHarness: () => Promise<EventStoreDbHarness>): void {
  describe(`EventStoreDB adapter behaviour: ${name}`, () => {
    let harness: EventStoreDbHarness;
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      harness = await createHarness();
      store = harness.open({ idempotencyLeaseMs: 500 });
    });
    afterAll(async () => {
      await harness?.teardown();
    });

    it('keeps its claim events out of the global log, the head position and subscriptions', async () => {
      const from = await store.headPosition();
      const stream = `case-${randomUUID()}`;
      await store.append(stream, [anEvent('Claimed')], {
        expectedVersion: 'no_stream',
        idempotencyKey: `key-${randomUUID()}`,
      });
      const read = await store.readAll({ after: from, limit: 100 });
      expect(read.map((e) => [e.streamId, e.type])).toEqual([[stream, 'Claimed']]);
      expect(await store.headPosition()).toEqual(read[0]!.position);
      const controller = new AbortController();
      for await (const batch of store.subscribe({ after: from, signal: controller.signal })) {
        expect(batch.map((e) => e.streamId)).toEqual([stream]);
        break;
      }
      controller.abort();
    });

    it('takes over a claim whose append never came, once the lease has passed', async () => {
      const stream = `case-${randomUUID()}`;
      const key = `key-${randomUUID()}`;
      // What a request leaves behind when it dies between claiming the key and appending.
      await harness.raw.appendToStream(claimStreamOf(key), claimEvent(key, stream));
      expect(await store.findAppend(key)).toBeUndefined();
      const started = Date.now();
      const result = await store.append(stream, [anEvent('AfterTakeover')], {
        expectedVersion: 'no_stream',
        idempotencyKey: key,
      });
      expect(result.replayed).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect((await store.findAppend(key))?.events.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
    });

    it('lets exactly one of several streams have a key sent concurrently', async () => {
      const key = `key-${randomUUID()}`;
      const streams = Array.from({ length: 4 }, () => `case-${randomUUID()}`);
      const outcomes = await Promise.allSettled(
        streams.map((stream) =>
          store.append(stream, [anEvent()], { expectedVersion: 'no_stream', idempotencyKey: key }),
        ),
      );
      const winners = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(IdempotencyKeyReusedError);
          expect(outcome.reason).toMatchObject({ firstStreamId: winners[0]!.value.streamId });
        }
      }
    });

    it('releases the key of a refused append at once, so that it can be used on another stream', async () => {
      // With a lease far beyond the test's timeout, only the release lets the key be used again in time.
      const store = harness.open({ idempotencyLeaseMs: 3_600_000 });
      const taken = `case-${randomUUID()}`;
      await store.append(taken, [anEvent()], { expectedVersion: 'no_stream' });
      const key = `key-${randomUUID()}`;
      await expect(
        store.append(taken, [anEvent()], { expectedVersion: 'no_stream', idempotencyKey: key }),
      ).rejects.toBeInstanceOf(StreamVersionConflictError);
      const other = `case-${randomUUID()}`;
      const ok = await store.append(other, [anEvent()], { expectedVersion: 'no_stream', idempotencyKey: key });
      expect(ok).toMatchObject({ streamId: other, replayed: false });
      await expect(
        store.append(taken, [anEvent()], { expectedVersion: 1, idempotencyKey: key }),
      ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    });

    it('gives a retry the same event ids, so that EventStoreDB itself also recognises a retried write', async () => {
      const stream = `case-${randomUUID()}`;
      const key = `key-${randomUUID()}`;
      const first = await store.append(stream, [anEvent('A'), anEvent('B')], {
        expectedVersion: 'no_stream',
        idempotencyKey: key,
      });
      const again = await harness.raw.appendToStream(
        stream,
        first.events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType })),
        { expectedRevision: NO_STREAM },
      );
      expect(again.nextExpectedRevision).toBe(1n);
      expect(await store.streamVersion(stream)).toBe(2);
    });

    it('ends its subscriptions when closed', async () => {
      const own = harness.open();
      const from = await own.headPosition();
      const tail = (async () => {
        let batches = 0;
        for await (const _batch of own.subscribe({ after: from })) batches += 1;
        return batches;
      })();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await own.close();
      expect(await tail).toBe(0);
    });
  });
}
