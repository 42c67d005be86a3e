import { DateTime } from 'luxon';
import { timeZone } from '@helpline/domain';

/** Every figure is counted in the months of the city the lines serve. */
export const EVALUATION_TIME_ZONE = 'Europe/Rome';
const ROME = timeZone(EVALUATION_TIME_ZONE);

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `YYYY-MM`: the Rome month an instant falls in. */
export function romeMonthOf(instant: string | Date): string {
  // The projections ask this of every contact: the instant moved by Rome's offset at that instant (the zone's
  // cached offsets) gives the Rome wall-clock month without building a luxon DateTime.
  const ms = instant instanceof Date ? instant.getTime() : ISO_WITH_OFFSET.test(instant) ? Date.parse(instant) : NaN;
  if (Number.isFinite(ms)) return new Date(ms + ROME.offset(ms) * 60_000).toISOString().slice(0, 7);
  const value = instant instanceof Date ? DateTime.fromJSDate(instant) : DateTime.fromISO(instant, { setZone: true });
  return value.setZone(ROME).toFormat('yyyy-LL');
}

/** An instant Date.parse reads exactly as luxon does: date, time to the millisecond at most, and an offset. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value);
}

/** The months from `from` to `to`, both included, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let cursor = DateTime.fromFormat(from, 'yyyy-LL', { zone: ROME });
  const last = DateTime.fromFormat(to, 'yyyy-LL', { zone: ROME });
  while (cursor <= last) {
    months.push(cursor.toFormat('yyyy-LL'));
    cursor = cursor.plus({ months: 1 });
  }
  return months;
}

/** The month before a month (`2020-01` → `2019-12`). */
export function monthBefore(month: string): string {
  return DateTime.fromFormat(month, 'yyyy-LL', { zone: ROME }).minus({ months: 1 }).toFormat('yyyy-LL');
}

/** The first instant of a Rome month (UTC ISO). */
export function monthStart(month: string): string {
  return DateTime.fromFormat(month, 'yyyy-LL', { zone: ROME }).toUTC().toISO()!;
}

/** The first instant after a Rome month (UTC ISO). */
export function monthEnd(month: string): string {
  return DateTime.fromFormat(month, 'yyyy-LL', { zone: ROME }).plus({ months: 1 }).toUTC().toISO()!;
}

/**
 * The cut-off of an as-of date: a calendar day (`2020-06-30`) means up to the end of that day in Rome, an instant
 * with an offset means that instant. Returns the last millisecond included (UTC ISO), or undefined when the value
 * is neither.
 */
export function asOfCutOff(value: string): string | undefined {
  if (DATE.test(value)) {
    const day = DateTime.fromISO(value, { zone: ROME });
    return day.isValid ? day.plus({ days: 1 }).minus({ milliseconds: 1 }).toUTC().toISO() : undefined;
  }
  if (INSTANT.test(value)) {
    const instant = DateTime.fromISO(value, { setZone: true });
    return instant.isValid ? instant.toUTC().toISO() : undefined;
  }
  return undefined;
}

/** Milliseconds of a whole number of days, for the cohort horizons. */
export const DAY_MS = 86_400_000;
