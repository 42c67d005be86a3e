import { DateTime } from 'luxon';

/** The lines are Milan's: every date and time is shown, and typed, in the line's time zone. */
export const LINE_TIME_ZONE = 'Europe/Rome';

/** An instant from the API (UTC) as the line's wall time, in the console's language. */
export function formatInstant(instant: string | null | undefined, language: string): string {
  if (!instant) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'it-IT', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: LINE_TIME_ZONE,
  }).format(new Date(instant));
}

/** A `datetime-local` field's value, read as the line's wall time, as an instant with its offset for the API. */
export function instantFromLineTime(local: string): string {
  const parsed = DateTime.fromISO(local, { zone: LINE_TIME_ZONE });
  if (!parsed.isValid) throw new Error(`not a date and time: ${local}`);
  return parsed.toISO({ suppressMilliseconds: true });
}

/** Now, or a moment from now, as the line's wall time for a `datetime-local` field. */
export function lineTimeFromNow(offset: { days?: number; hours?: number; minutes?: number } = {}): string {
  return DateTime.now().setZone(LINE_TIME_ZONE).plus(offset).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** The current month of the line, `2026-11`. */
export function currentLineMonth(): string {
  return DateTime.now().setZone(LINE_TIME_ZONE).toFormat('yyyy-LL');
}

/** The line's last month that has ended: the latest an evaluator may ask for. */
export function lastEndedLineMonth(): string {
  return DateTime.now().setZone(LINE_TIME_ZONE).minus({ months: 1 }).toFormat('yyyy-LL');
}
