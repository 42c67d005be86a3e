import { DomainError, type DomainErrorKind } from '@helpline/domain';

/**
 * A query of a read model asked with a value it cannot use: a cursor it did not hand out, a time that is not an
 * instant, a page size out of range. A DomainError of kind `invalid`, so the API's one exception filter answers
 * it with 400 and its code, like the domain's own refusals.
 */
export class ReadModelQueryError extends DomainError {
  readonly kind: DomainErrorKind = 'invalid';

  constructor(
    readonly code: 'INVALID_CURSOR' | 'INVALID_TIMESTAMP' | 'INVALID_VALUE',
    field: string,
    reason: string,
  ) {
    super(reason, field);
  }
}

// ---- instants ----

/** A point in time a query is asked at: a Date or an ISO-8601 string with an offset. */
export type InstantInput = Date | string;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An instant as read models store and return it: UTC, millisecond precision (`2020-03-15T12:00:00.000Z`).
 * Every time is cut to milliseconds on the way in, so a timestamp read back through a JS Date (pg and PGlite
 * return timestamptz as Date) compares equal to the one written: keyset cursors depend on it.
 */
export function toInstant(value: InstantInput, field: string): string {
  const millis =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string' && ISO_WITH_OFFSET.test(value)
        ? Date.parse(value)
        : NaN;
  if (!Number.isFinite(millis))
    throw new ReadModelQueryError('INVALID_TIMESTAMP', field, 'must be an ISO-8601 instant with an offset');
  return new Date(millis).toISOString();
}

/** An event's time in the read models' form (the domain already checked it is an instant). */
export function eventInstant(iso: string): string {
  return new Date(iso).toISOString();
}

/** A timestamptz column's value (a Date from pg and PGlite, a string from a raw driver) as an instant, or null. */
export function columnInstant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value as string)).toISOString();
}

/** The later of two instants in read-model form (either may be null). */
export function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

// ---- lines ----

/**
 * The lines a reader may see: the lines of an operator or supervisor, or `'*'` for all of them (a list holding
 * `'*'` means all as well). An empty list sees nothing; it never means "no filter".
 */
export type LineScope = '*' | readonly string[];

export const ALL_LINES = '*';

/** `null` for every line, otherwise the (possibly empty) list to filter on. */
export function linesToFilter(scope: LineScope): readonly string[] | null {
  if (scope === ALL_LINES) return null;
  if (!Array.isArray(scope))
    throw new ReadModelQueryError('INVALID_VALUE', 'lines', "must be a list of line ids or '*'");
  if (scope.includes(ALL_LINES)) return null;
  return [...new Set(scope as unknown[])] as string[];
}

// ---- pages ----

export interface PageRequest {
  /** How many items at most (default 50, at most 200). */
  readonly limit?: number;
  /** The `nextCursor` of the previous page; absent for the first page. */
  readonly after?: string | null;
}

export interface Page<T> {
  readonly items: T[];
  /** Opaque; pass it as `after` for the next page. Null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageLimit(page: PageRequest | undefined): number {
  const limit = page?.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ReadModelQueryError('INVALID_VALUE', 'limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

type CursorValue = string | number | boolean | null;

/** A keyset position as an opaque string, tagged with the listing it belongs to. */
export function encodeCursor(listing: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([listing, ...values]), 'utf8').toString('base64url');
}

/**
 * The keyset position a cursor holds, checked against the listing and the shape it must have (one `typeof` per
 * value, or `'instant'` for a read-model instant); anything else is refused with INVALID_CURSOR.
 */
export function decodeCursor(
  listing: string,
  cursor: string,
  shape: ReadonlyArray<'string' | 'number' | 'boolean' | 'instant'>,
): CursorValue[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const fits =
    Array.isArray(decoded) &&
    decoded.length === shape.length + 1 &&
    decoded[0] === listing &&
    shape.every((kind, index) => {
      const value: unknown = decoded[index + 1];
      if (kind === 'instant')
        return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && Number.isFinite(Date.parse(value));
      return typeof value === kind;
    });
  if (!fits) throw new ReadModelQueryError('INVALID_CURSOR', 'after', 'is not a cursor returned by this listing');
  return (decoded as CursorValue[]).slice(1);
}

/** The page of `limit` items from `limit + 1` rows read, with the cursor of its last item when more follow. */
export function pageOf<TRow, TItem>(
  rows: readonly TRow[],
  limit: number,
  item: (row: TRow) => TItem,
  cursorOf: (row: TRow) => string,
): Page<TItem> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(item), nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
