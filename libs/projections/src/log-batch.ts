import { comparePositions, EventStore, LogPosition, RecordedEvent } from '@helpline/event-store';

export interface LogBatch {
  /** The events the projection handles, in log order. */
  readonly events: readonly RecordedEvent[];
  /** Where its checkpoint stands once the batch is applied: past the events and, when caught up, past the head. */
  readonly target: LogPosition;
  /** The read came back full: more may follow at once. */
  readonly full: boolean;
}

/**
 * The checkpoint a batch leads to. A projection reads only the types it handles, so after the last of them it
 * would stay behind every other event and `waitForPosition` would wait for nothing. When the read came back
 * short it saw every handled event up to the head taken *before* the read (a position once visible never gets
 * an event committed before it), so the checkpoint may move to that head.
 */
export function batchTarget(
  after: LogPosition,
  events: readonly RecordedEvent[],
  limit: number,
  headBeforeRead?: LogPosition,
): LogPosition {
  let target = events.at(-1)?.position ?? after;
  if (headBeforeRead && events.length < limit && comparePositions(headBeforeRead, target) > 0) target = headBeforeRead;
  return target;
}

export async function readBatch(
  store: EventStore,
  options: { after: LogPosition; limit: number; types: readonly string[]; withHead: boolean },
): Promise<LogBatch> {
  const head = options.withHead ? await store.headPosition() : undefined;
  const events = await store.readAll({ after: options.after, limit: options.limit, types: options.types });
  return {
    events,
    target: batchTarget(options.after, events, options.limit, head),
    full: events.length >= options.limit,
  };
}

export function isEmptyBatch(after: LogPosition, batch: LogBatch): boolean {
  return batch.events.length === 0 && comparePositions(batch.target, after) === 0;
}
