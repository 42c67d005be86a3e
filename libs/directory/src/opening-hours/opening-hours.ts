import { DateTime } from 'luxon';
import { DirectoryValidationError } from '../directory.errors';
import type { WeeklySchedule } from '../directory.model';
import { DIRECTORY_TIME_ZONE, WEEKDAYS, Weekday } from '../directory.vocabularies';

/*
 * "Open now" is read on Milan's wall clock, the way the services publish their hours: at an instant, take the local
 * weekday and time in Europe/Rome and look for a weekly interval that contains them. Daylight saving needs no special
 * case: on the last Sunday of March the wall clock skips 02:00-02:59, so an interval inside that hour never opens
 * that day; on the last Sunday of October 02:00-02:59 happens twice and an interval covering it is open both times;
 * a night service (22:00-06:00) is open an hour less or more those nights, exactly as its doors are.
 * The caller passes the instant: nothing here reads a clock.
 */

/** Weekday and minute of the day on the directory's wall clock at one instant. */
export interface WallClock {
  weekday: Weekday;
  /** The day before, for intervals that began then and run past midnight. */
  previousWeekday: Weekday;
  /** 0..1439. */
  minuteOfDay: number;
  /** HH:MM, the same minute as text (schedules store their times so). */
  time: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO-8601 instant with offset (a bare local time is ambiguous when daylight saving repeats an hour) or a Date. */
export function parseDirectoryInstant(at: unknown, field = 'at'): DateTime {
  if (at instanceof Date && !Number.isNaN(at.getTime())) return DateTime.fromJSDate(at);
  if (typeof at === 'string' && INSTANT.test(at)) {
    const parsed = DateTime.fromISO(at, { setZone: true });
    if (parsed.isValid) return parsed;
  }
  throw new DirectoryValidationError(
    field,
    'must be an ISO-8601 instant with an offset, e.g. 2026-03-29T09:00:00+02:00',
  );
}

export function wallClockAt(at: string | Date, timeZone: string = DIRECTORY_TIME_ZONE): WallClock {
  const local = parseDirectoryInstant(at).setZone(timeZone);
  const weekdayIndex = local.weekday - 1;
  const minuteOfDay = local.hour * 60 + local.minute;
  return {
    weekday: WEEKDAYS[weekdayIndex]!,
    previousWeekday: WEEKDAYS[(weekdayIndex + 6) % 7]!,
    minuteOfDay,
    time: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`,
  };
}

type Interval = Pick<WeeklySchedule, 'byday' | 'opensAt' | 'closesAt'>;

/**
 * Whether one weekly interval is open on that wall clock. Opening is inclusive, closing exclusive; a closing time at
 * or before the opening time runs into the next day, so `00:00`-`00:00` is open the whole of each listed day.
 */
export function isIntervalOpen(interval: Interval, clock: WallClock): boolean {
  const opens = minutes(interval.opensAt);
  const closes = minutes(interval.closesAt);
  const now = clock.minuteOfDay;
  if (opens < closes) return interval.byday.includes(clock.weekday) && opens <= now && now < closes;
  return (
    (interval.byday.includes(clock.weekday) && now >= opens) ||
    (interval.byday.includes(clock.previousWeekday) && now < closes)
  );
}

/** Whether any of the schedules is open at that instant. No schedule means not known to be open: false. */
export function isOpenAt(schedules: readonly Interval[], at: string | Date): boolean {
  const clock = wallClockAt(at);
  return schedules.some((schedule) => isIntervalOpen(schedule, clock));
}

function minutes(time: string): number {
  const [hours, mins] = time.split(':').map(Number);
  return hours! * 60 + mins!;
}
