import type { AppendOptions, EventToAppend } from './event-store.port';
import { EventStoreInputError } from './event-store.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The checks every adapter makes before an append, so that all of them refuse the same input the same way. */
export function validateAppend(streamId: string, events: readonly EventToAppend[], options: AppendOptions): void {
  if (!streamId || streamId.length > 200) throw new EventStoreInputError('streamId must be 1 to 200 characters');
  if (events.length === 0) throw new EventStoreInputError('an append needs at least one event');
  const expected = options.expectedVersion;
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new EventStoreInputError('expectedVersion must be a non-negative integer, "no_stream" or "any"');
  }
  if (
    options.idempotencyKey !== undefined &&
    (options.idempotencyKey.length === 0 || options.idempotencyKey.length > 200)
  ) {
    throw new EventStoreInputError('idempotencyKey must be 1 to 200 characters');
  }
  for (const event of events) {
    if (event.id !== undefined && !UUID.test(event.id)) throw new EventStoreInputError('event id must be a UUID');
    if (!event.type) throw new EventStoreInputError('event type is required');
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1)
      throw new EventStoreInputError('schemaVersion must be >= 1');
    if (Number.isNaN(Date.parse(event.occurredAt)))
      throw new EventStoreInputError('occurredAt must be an ISO-8601 time');
  }
}
