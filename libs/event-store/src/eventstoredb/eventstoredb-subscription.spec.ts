import { PassThrough } from 'node:stream';
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { RecordedEvent, START_OF_LOG } from '../event-store.port';
import { encodeMetadata } from './eventstoredb-mapping';
import { SubscriptionCursor, batchesFromSubscription } from './eventstoredb-subscription';

/** Stands in for the client's subscription: an object-mode stream of resolved events with `unsubscribe`. */
function fakeSubscription() {
  const stream = new PassThrough({ objectMode: true, highWaterMark: 4 });
  const unsubscribe = jest.fn(async () => {
    stream.end();
  });
  return {
    subscription: Object.assign(stream, { unsubscribe }) as unknown as AllStreamSubscription,
    stream,
    unsubscribe,
  };
}

let n = 0;
function resolved(position: number, type = 'CaseEvent', streamId = 'case-1'): AllStreamResolvedEvent {
  n += 1;
  return {
    event: {
      streamId,
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      revision: BigInt(position),
      type,
      created: new Date('2020-03-01T10:00:00.000Z'),
      isJson: true,
      data: { position },
      metadata: encodeMetadata({
        type,
        schemaVersion: 1,
        data: {},
        metadata: { actorId: 'a', actorRole: 'operator' },
        occurredAt: '2020-03-01T10:00:00.000Z',
      }),
      position: { commit: BigInt(position), prepare: BigInt(position) },
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function next(iterator: AsyncGenerator<RecordedEvent[], void>): Promise<number[] | 'done'> {
  const result = await iterator.next();
  return result.done ? 'done' : result.value.map((e) => e.position.commit);
}

describe('batches from a catch-up subscription', () => {
  it('yields what has arrived, in batches of at most batchSize, and advances the cursor as it yields', async () => {
    const { subscription, stream } = fakeSubscription();
    const cursor: SubscriptionCursor = { after: START_OF_LOG };
    const batches = batchesFromSubscription(subscription, {
      cursor,
      batchSize: 2,
      signal: new AbortController().signal,
    });
    for (const position of [10, 20, 30]) stream.write(resolved(position));
    expect(await next(batches)).toEqual([10, 20]);
    expect(cursor.after).toEqual({ commit: 20, prepare: 20 });
    expect(await next(batches)).toEqual([30]);
    expect(cursor.after).toEqual({ commit: 30, prepare: 30 });
    await batches.return();
  });

  it('skips system events, other types, and anything at or before the start position', async () => {
    const { subscription, stream } = fakeSubscription();
    const cursor: SubscriptionCursor = { after: { commit: 20, prepare: 20 } };
    const batches = batchesFromSubscription(subscription, {
      cursor,
      batchSize: 10,
      types: ['Wanted'],
      signal: new AbortController().signal,
    });
    stream.write(resolved(20, 'Wanted'));
    stream.write(resolved(25, '$statsCollected'));
    stream.write(resolved(30, 'Unwanted'));
    stream.write(resolved(40, 'Wanted'));
    stream.write(resolved(40, 'Wanted'));
    stream.write({ link: undefined });
    stream.write(resolved(50, 'Wanted'));
    await tick();
    expect(await next(batches)).toEqual([40, 50]);
    await batches.return();
  });

  it('waits without returning while nothing arrives, then wakes for a late event', async () => {
    const { subscription, stream } = fakeSubscription();
    const batches = batchesFromSubscription(subscription, {
      cursor: { after: START_OF_LOG },
      batchSize: 10,
      signal: new AbortController().signal,
    });
    let settled = false;
    const pending = next(batches).then((value) => {
      settled = true;
      return value;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBe(false);
    stream.write(resolved(7));
    expect(await pending).toEqual([7]);
    await batches.return();
  });

  it('ends and unsubscribes when the signal aborts', async () => {
    const { subscription, unsubscribe } = fakeSubscription();
    const controller = new AbortController();
    const batches = batchesFromSubscription(subscription, {
      cursor: { after: START_OF_LOG },
      batchSize: 10,
      signal: controller.signal,
    });
    const pending = next(batches);
    await tick();
    controller.abort();
    expect(await pending).toBe('done');
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes when the reader stops early', async () => {
    const { subscription, stream, unsubscribe } = fakeSubscription();
    const seen: number[] = [];
    stream.write(resolved(1));
    for await (const batch of batchesFromSubscription(subscription, {
      cursor: { after: START_OF_LOG },
      batchSize: 10,
      signal: new AbortController().signal,
    })) {
      seen.push(...batch.map((e) => e.position.commit));
      break;
    }
    expect(seen).toEqual([1]);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('hands out the events received before a failure, then throws it', async () => {
    const { subscription, stream } = fakeSubscription();
    const batches = batchesFromSubscription(subscription, {
      cursor: { after: START_OF_LOG },
      batchSize: 10,
      signal: new AbortController().signal,
    });
    const first = next(batches); // starts listening
    stream.write(resolved(1));
    await tick();
    stream.emit('error', new Error('connection lost'));
    expect(await first).toEqual([1]);
    await expect(batches.next()).rejects.toThrow('connection lost');
  });

  it('returns when the server ends the subscription, after the events it sent', async () => {
    const { subscription, stream } = fakeSubscription();
    const batches = batchesFromSubscription(subscription, {
      cursor: { after: START_OF_LOG },
      batchSize: 10,
      signal: new AbortController().signal,
    });
    stream.write(resolved(1));
    stream.end();
    await tick();
    expect(await next(batches)).toEqual([1]);
    expect(await next(batches)).toBe('done');
  });

  it('pauses the subscription while the reader is behind, and resumes it as the reader catches up', async () => {
    const { subscription, stream } = fakeSubscription();
    const batches = batchesFromSubscription(subscription, {
      cursor: { after: START_OF_LOG },
      batchSize: 16,
      signal: new AbortController().signal,
    });
    const first = next(batches);
    for (let position = 1; position <= 100; position++) stream.write(resolved(position));
    await tick();
    expect(stream.isPaused()).toBe(true);
    const seen: number[] = [];
    let batch = await first;
    while (batch !== 'done') {
      seen.push(...batch);
      if (seen.length === 100) break;
      batch = await next(batches);
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(stream.isPaused()).toBe(false);
    await batches.return();
  });
});
