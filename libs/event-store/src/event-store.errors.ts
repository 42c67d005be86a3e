import type { ExpectedVersion } from './event-store.port';

/** A writer expected the stream at one version and found another. */
export class StreamVersionConflictError extends Error {
  readonly code = 'STREAM_VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`Stream ${streamId} is at version ${actualVersion}, expected ${String(expectedVersion)}`);
    this.name = 'StreamVersionConflictError';
  }
}

/** The same idempotency key was sent with a different stream: a client bug, never silently accepted. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(
    readonly idempotencyKey: string,
    readonly firstStreamId: string,
  ) {
    super('The idempotency key was already used for another request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class EventStoreInputError extends Error {
  readonly code = 'EVENT_STORE_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreInputError';
  }
}
