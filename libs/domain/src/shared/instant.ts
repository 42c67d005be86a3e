import { DateTime } from 'luxon';
import { DomainError, type DomainErrorKind } from './domain-error';

// An instant must name its offset: a bare local time is ambiguous once daylight saving repeats an hour.
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT_PATTERN.test(value) && DateTime.fromISO(value, { setZone: true }).isValid;
}

export class InvalidInstantError extends DomainError {
  readonly code = 'INVALID_TIMESTAMP';
  readonly kind: DomainErrorKind = 'invalid';

  constructor(field = 'occurredAt') {
    super('Expected an ISO-8601 instant with an offset, for example 2020-03-29T09:00:00+02:00', field);
  }
}

/** Parses an ISO-8601 instant with offset, or throws `InvalidInstantError`. */
export function parseInstant(value: unknown, field?: string): DateTime {
  if (!isInstant(value)) throw new InvalidInstantError(field);
  return DateTime.fromISO(value, { setZone: true });
}

/** Milliseconds since the epoch of an ISO-8601 instant already checked with `isInstant`. */
export function instantMillis(value: string): number {
  return DateTime.fromISO(value, { setZone: true }).toMillis();
}
