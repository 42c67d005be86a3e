import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@eventstore/db-client';
import { anEvent, describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { describeEventStoreDbBehaviour } from './testing/eventstoredb-behaviour';
import { FakeEventStoreDb } from './testing/fake-eventstoredb';

// The adapter's logic against an in-memory stand-in for the server (see testing/fake-eventstoredb.ts). This is no proof
// that EventStoreDB behaves like the stand-in: the int-spec runs the same suites on a real server.
jest.setTimeout(30_000);

function fakeHarness() {
  return async () => {
    const server = new FakeEventStoreDb();
    const stores: EventStoreDbEventStore[] = [];
    return {
      raw: server.client(),
      open(options = {}) {
        const store = new EventStoreDbEventStore(server.client(), options);
        stores.push(store);
        return store;
      },
      async connect() {
        return this.open();
      },
      async teardown() {
        for (const store of stores) await store.close();
      },
    };
  };
}

describeEventStoreContract('EventStoreDB adapter on an in-memory stand-in', fakeHarness());
describeEventStoreDbBehaviour('on an in-memory stand-in', fakeHarness());

describe('EventStoreDB adapter when the connection fails mid-append (in-memory stand-in)', () => {
  it('answers with the events when they were written before the connection dropped', async () => {
    const server = new FakeEventStoreDb();
    const store = new EventStoreDbEventStore(server.client());
    const stream = `case-${randomUUID()}`;
    server.failNextAppend = { stream: /^case-/, when: 'after-write' };
    const result = await store.append(stream, [anEvent('A')], {
      expectedVersion: 'no_stream',
      idempotencyKey: `key-${randomUUID()}`,
    });
    expect(result).toMatchObject({ streamId: stream, nextExpectedVersion: 1, replayed: false });
    expect(await store.readStream(stream)).toHaveLength(1);
    await store.close();
  });

  it('keeps the key claimed when nothing was written, until a retry takes it over after the lease', async () => {
    const server = new FakeEventStoreDb();
    const store = new EventStoreDbEventStore(server.client(), { idempotencyLeaseMs: 300 });
    const stream = `case-${randomUUID()}`;
    const key = `key-${randomUUID()}`;
    server.failNextAppend = { stream: /^case-/, when: 'before-write' };
    await expect(
      store.append(stream, [anEvent('A')], { expectedVersion: 'no_stream', idempotencyKey: key }),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(await store.findAppend(key)).toBeUndefined();
    const retried = await store.append(stream, [anEvent('A')], { expectedVersion: 'no_stream', idempotencyKey: key });
    expect(retried).toMatchObject({ nextExpectedVersion: 1, replayed: false });
    expect(await store.readStream(stream)).toHaveLength(1);
    await store.close();
  });

  it('reads a stream and the log in pages, skipping system events', async () => {
    const server = new FakeEventStoreDb(2);
    const store = new EventStoreDbEventStore(server.client());
    const from = await store.headPosition();
    const stream = `case-${randomUUID()}`;
    for (let version = 0; version < 30; version++) {
      await store.append(stream, [anEvent(version % 3 === 0 ? 'Third' : 'Other', { version })], {
        expectedVersion: version,
      });
    }
    const all = [];
    let after = from;
    for (;;) {
      const page = await store.readAll({ after, limit: 7 });
      if (page.length === 0) break;
      all.push(...page);
      after = page[page.length - 1]!.position;
    }
    expect(all.map((e) => e.streamVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const thirds = await store.readAll({ after: from, limit: 4, types: ['Third'] });
    expect(thirds.map((e) => (e.data as { version: number }).version)).toEqual([0, 3, 6, 9]);
    expect((await store.readStream(stream, { fromVersion: 28 })).map((e) => e.streamVersion)).toEqual([28, 29, 30]);
    expect(await store.streamVersion(stream)).toBe(30);
    await store.close();
  });
});
