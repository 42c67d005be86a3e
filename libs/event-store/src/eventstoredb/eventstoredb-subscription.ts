import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { LogPosition, RecordedEvent } from '../event-store.port';
import { comparePositions } from '../event-store.port';
import { isVisibleType, toRecordedEvent } from './eventstoredb-mapping';

export interface SubscriptionCursor {
  /** The position of the last event handed to the reader; advanced as batches are yielded. */
  after: LogPosition;
}

export interface SubscriptionBatchOptions {
  readonly cursor: SubscriptionCursor;
  readonly batchSize: number;
  readonly types?: readonly string[];
  readonly signal: AbortSignal;
}

/**
 * Turns a catch-up subscription to `$all` (which pushes one event at a time) into the port's batches: whatever
 * has arrived, up to `batchSize`, in log order. Waits without polling while nothing arrives. Skips system events,
 * other types when `types` is given (the server filters too; this is the guarantee) and anything at or before
 * the cursor, so positions strictly increase even if the server repeats the event it started from. Pauses the
 * subscription when the reader falls behind. Returns when the signal aborts or the server ends the subscription;
 * throws the subscription's error once the events received before it are yielded. Always unsubscribes.
 */
export async function* batchesFromSubscription(
  subscription: AllStreamSubscription,
  options: SubscriptionBatchOptions,
): AsyncGenerator<RecordedEvent[], void> {
  const { cursor, batchSize, types, signal } = options;
  const highWater = Math.max(batchSize * 4, 64);
  const queue: RecordedEvent[] = [];
  let lastQueued = cursor.after;
  let failure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onData = (resolved: AllStreamResolvedEvent) => {
    const event = resolved.event;
    if (!event || !isVisibleType(event.type, types) || failure) return;
    try {
      const recorded = toRecordedEvent(event);
      if (comparePositions(recorded.position, lastQueued) <= 0) return;
      lastQueued = recorded.position;
      queue.push(recorded);
      if (queue.length >= highWater) subscription.pause();
    } catch (error) {
      failure = { error };
    }
    notify();
  };
  const onError = (error: Error) => {
    failure ??= { error };
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  subscription.on('data', onData);
  subscription.on('error', onError);
  subscription.on('end', onEnd);
  subscription.on('close', onEnd);
  signal.addEventListener('abort', notify);
  try {
    for (;;) {
      if (signal.aborted) return;
      if (queue.length > 0) {
        const batch = queue.splice(0, batchSize);
        if (queue.length < highWater && subscription.isPaused()) subscription.resume();
        cursor.after = batch.at(-1)!.position; // the queue was not empty
        yield batch;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal.removeEventListener('abort', notify);
    subscription.off('data', onData);
    subscription.off('error', onError);
    subscription.off('end', onEnd);
    subscription.off('close', onEnd);
    // A cancelled gRPC stream may still report an error: with no listener it would crash the process.
    subscription.on('error', ignore);
    await subscription.unsubscribe().catch(ignore);
  }
}

function ignore(): void {}
