import { StreamVersionConflictError } from '@helpline/event-store';
import { ApplicationError } from '@helpline/kernel';

/** The one declaration of IDEMPOTENCY_KEY_REUSED: a key sent again with another request (or for another record). */
export class IdempotencyKeyReusedForAnotherRequestError extends ApplicationError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly kind = 'unprocessable' as const;

  constructor() {
    super('this Idempotency-Key was already used for a different request', 'Idempotency-Key');
  }
}

export class FutureOccurrenceError extends ApplicationError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid' as const;

  constructor() {
    super('occurredAt cannot be in the future', 'occurredAt');
  }
}

/**
 * A command without an asserted version kept losing the race to concurrent writers on its stream for longer than
 * the handler waits: the client should try again later (never "your version is stale": it sent none).
 */
export class StreamContendedError extends ApplicationError {
  readonly code = 'STREAM_BUSY';
  readonly kind = 'unavailable' as const;

  constructor(readonly retryAfterSeconds: number) {
    super('the record is being changed by many requests at once: try again shortly', undefined, {
      retryAfterSeconds,
    });
  }
}

/**
 * The client asserted a version the stream has moved past. It says where the version came from, so that the edge can
 * answer a failed `If-Match` precondition (412) apart from a stale `expectedVersion` in a body (409).
 */
export class StaleVersionError extends StreamVersionConflictError {
  constructor(
    streamId: string,
    expectedVersion: number,
    actualVersion: number,
    readonly expectedVersionFrom: 'if-match' | 'body',
  ) {
    super(streamId, expectedVersion, actualVersion);
    this.name = 'StaleVersionError';
  }
}
