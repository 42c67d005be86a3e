import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';

/** A whole string that is an ISO-8601 instant naming its offset (Z or ±hh:mm), as events and read models hold them. */
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Already in the one format, with a day and an hour every month and day have: `toISOString` would give it back as
 * it is, so it is not parsed again (a page of the queue holds hundreds). Days 29-31 take the long way, where an
 * impossible date (30 February) is still rolled over as before.
 */
const CANONICAL_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Every instant the API returns is written one way: UTC, with milliseconds and `Z` (2026-11-24T09:15:00.000Z), whatever
 * form the event or the read model stored it in (an operator's `+01:00`, PostgreSQL's `+00`). Only whole strings that
 * are instants change; an ordinary date (2026-11-24) or a text stays as it is.
 */
export function instantsInUtc(value: unknown): unknown {
  if (typeof value === 'string') {
    if (CANONICAL_INSTANT.test(value) || !INSTANT_WITH_OFFSET.test(value)) return value;
    const millis = Date.parse(value);
    return Number.isFinite(millis) ? new Date(millis).toISOString() : value;
  }
  if (Array.isArray(value)) return value.map(instantsInUtc);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype && !isPlainData(value)) return value;
  const answer: Record<string, unknown> = {};
  for (const key of Object.keys(value)) answer[key] = instantsInUtc((value as Record<string, unknown>)[key]);
  return answer;
}

/** A class instance a route returns as data (a view object); never a stream, a buffer or a response. */
function isPlainData(value: object): boolean {
  return !(value instanceof Buffer) && typeof (value as { pipe?: unknown }).pipe !== 'function';
}

/** Writes every instant of every JSON answer in the one format (see `instantsInUtc`). */
@Injectable()
export class InstantsInUtcInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((answer: unknown) => (typeof answer === 'object' ? instantsInUtc(answer) : answer)));
  }
}
