import { BadRequestException } from '@nestjs/common';
import { DateTime } from 'luxon';

/** The zone a calendar date of a query is read in: the lines' own. */
const LINES_ZONE = 'Europe/Rome';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Without `from`, the funnel covers the twelve months before `to`. */
const DEFAULT_MONTHS = 12;

/**
 * The funnel's period [from, to) as instants. A date `from` starts at the start of that day, a date `to` includes the
 * whole day (ends at the start of the next), both in the lines' zone; an instant is taken as sent. Without `to` the
 * period ends now; without `from` it starts twelve months before its end.
 */
export function funnelPeriod(
  given: { from?: string; to?: string },
  now: Date = new Date(),
): { from: string; to: string } {
  const to = given.to === undefined ? DateTime.fromJSDate(now) : bound(given.to, 'to', 'end');
  const from = given.from === undefined ? to.minus({ months: DEFAULT_MONTHS }) : bound(given.from, 'from', 'start');
  if (from > to) throw invalid('to', 'must not be before from');
  return { from: from.toUTC().toISO()!, to: to.toUTC().toISO()! };
}

function bound(value: string, field: string, side: 'start' | 'end'): DateTime {
  if (DATE_ONLY.test(value)) {
    const day = DateTime.fromISO(value, { zone: LINES_ZONE });
    if (!day.isValid) throw invalid(field, 'is not a calendar date');
    return side === 'start' ? day.startOf('day') : day.startOf('day').plus({ days: 1 });
  }
  const instant = DateTime.fromISO(value, { setZone: true });
  if (!instant.isValid) throw invalid(field, 'is not a valid instant');
  return instant;
}

function invalid(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    reason: 'the request is not valid',
    errors: [{ field, reason: `${field} ${reason}` }],
  });
}

/** Hours rounded to one decimal for a client to show (null stays null: no referral reached the step). */
export function roundedHours(hours: number | null): number | null {
  return hours === null ? null : Math.round(hours * 10) / 10;
}
