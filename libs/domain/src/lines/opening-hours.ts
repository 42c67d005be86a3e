import { DateTime, IANAZone } from 'luxon';
import { parseInstant } from '../shared/instant';
import { timeZone } from '../shared/time-zone';
import { calendarProblems, isHoliday } from './holidays';
import type { Line, OpeningInterval, Weekday } from './line';

const HOUR_MS = 3_600_000;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/*
 * Opening intervals are built from the line's wall-clock times on each local day, so a 9-17 shift on the day
 * daylight saving starts or ends is still 8 real hours, and the night it changes is an hour shorter or longer.
 * Results are UTC ISO strings.
 */

/** True when operators of the line are answering at that instant. */
export function isWithinOpeningHours(line: Line, instantIso: string): boolean {
  const instant = parseInstant(instantIso, 'instant');
  if (line.openingHours.kind === 'always_open') return true;
  const day = instant.setZone(timeZone(line.timeZone)).startOf('day');
  return intervalsOn(line, day).some(([start, end]) => start <= instant && instant < end);
}

/** The instant itself when the line is open then, otherwise the next time it opens. */
export function nextOpening(line: Line, instantIso: string): string {
  const from = parseInstant(instantIso, 'instant');
  if (line.openingHours.kind === 'always_open') return toUtcIso(from);
  const [first] = openingTimeFrom(line, from);
  return toUtcIso(first![0]);
}

/**
 * The instant at which `hours` of the line's opening time have passed since `fromIso`; time the line is closed
 * does not count. A voicemail left on Saturday night with 4 hours to go is due 4 hours after Sunday's opening.
 */
export function addOpeningHours(line: Line, fromIso: string, hours: number): string {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError('hours must be a finite, non-negative number');
  const from = parseInstant(fromIso, 'from');
  if (line.openingHours.kind === 'always_open') return toUtcIso(from.plus({ milliseconds: hours * HOUR_MS }));
  let remaining = hours * HOUR_MS;
  for (const [start, end] of openingTimeFrom(line, from)) {
    const length = end.toMillis() - start.toMillis();
    if (remaining <= length) return toUtcIso(start.plus({ milliseconds: remaining }));
    remaining -= length;
  }
  throw new Error('unreachable: openingTimeFrom never ends');
}

/** When a call-back requested at that instant must have been made, by the line's call-back rule. */
export function callbackDueAt(line: Line, requestedAtIso: string): string {
  const rule = line.callbackRule;
  if (rule.kind === 'within_opening_hours') return addOpeningHours(line, requestedAtIso, rule.hours);
  return toUtcIso(parseInstant(requestedAtIso, 'requestedAt').plus({ milliseconds: rule.hours * HOUR_MS }));
}

/** When a call-back number requested at that instant must be destroyed if nothing destroyed it before. */
export function callbackNumberDiscardDueAt(line: Line, requestedAtIso: string): string {
  const requestedAt = parseInstant(requestedAtIso, 'requestedAt');
  return toUtcIso(requestedAt.plus({ milliseconds: line.callbackNumberRetentionHours * HOUR_MS }));
}

/** What is wrong with a line's configuration; empty when it is usable. */
export function validateLine(line: Line): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(line.timeZone)) problems.push(`unknown time zone ${line.timeZone}`);
  if (line.channels.length === 0) problems.push('no channels');
  for (const channel of line.outOfHoursChannels) {
    if (!line.channels.includes(channel)) problems.push(`out-of-hours channel ${channel} is not a channel of the line`);
  }
  const rule = line.callbackRule;
  if (!(rule.hours > 0)) problems.push('call-back rule must give a positive number of hours');
  if (rule.kind === 'within_opening_hours' && line.openingHours.kind === 'always_open') {
    problems.push('a line that never closes counts call-backs in plain hours');
  }
  if (!(line.callbackNumberRetentionHours > 0)) problems.push('call-back number retention must be positive');
  if (!(line.personalDataRetentionDays > 0)) problems.push('personal data retention must be positive');
  problems.push(...calendarProblems(line.holidays));
  if (line.openingHours.kind === 'weekly') {
    if (line.openingHours.intervals.length === 0) problems.push('a weekly timetable needs at least one interval');
    for (const interval of line.openingHours.intervals) problems.push(...intervalProblems(interval));
  }
  return problems;
}

function intervalProblems(interval: OpeningInterval): string[] {
  const problems: string[] = [];
  if (interval.weekdays.length === 0) problems.push('an interval without weekdays');
  if (interval.weekdays.some((day) => !Number.isInteger(day) || day < 1 || day > 7))
    problems.push('weekday out of 1-7');
  if (!TIME_OF_DAY.test(interval.opens) || interval.opens === '24:00')
    problems.push(`bad opening time ${interval.opens}`);
  if (!TIME_OF_DAY.test(interval.closes)) problems.push(`bad closing time ${interval.closes}`);
  else if (interval.closes <= interval.opens) {
    problems.push(`interval ${interval.opens}-${interval.closes} is empty or crosses midnight`);
  }
  return problems;
}

/** The line's opening intervals that end after `from`, the first one cut to start at `from`. Never ends. */
function* openingTimeFrom(line: Line, from: DateTime): Generator<[DateTime, DateTime]> {
  if (line.openingHours.kind !== 'weekly' || line.openingHours.intervals.length === 0) {
    throw new Error(`line ${line.id} has no weekly timetable`);
  }
  let day = from.setZone(timeZone(line.timeZone)).startOf('day');
  for (;;) {
    for (const [start, end] of intervalsOn(line, day)) {
      if (end <= from) continue;
      yield [start < from ? from : start, end];
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
}

/**
 * Each line's opening intervals by local day, kept once worked out: a rebuild asks the same days of the same few
 * lines for every event (due times, out-of-hours), and working a day out (its holidays, Easter, the wall-clock
 * times in the line's zone) was a tenth of a rebuild's CPU. A line is configuration and never changes; a
 * reconfigured line is a new object with days of its own. At most DAYS_KEPT_PER_LINE days, the oldest kept
 * dropped first.
 */
const DAYS_KEPT_PER_LINE = 4_000;
type OpeningIntervals = readonly (readonly [DateTime, DateTime])[];
const daysOfLine = new WeakMap<Line, Map<number, OpeningIntervals>>();

/** The opening intervals of one local day (its start in the line's zone), in order, as instants. */
function intervalsOn(line: Line, day: DateTime): OpeningIntervals {
  let days = daysOfLine.get(line);
  if (days === undefined) daysOfLine.set(line, (days = new Map<number, OpeningIntervals>()));
  const key = day.toMillis();
  const kept = days.get(key);
  if (kept !== undefined) return kept;
  const intervals = workOutIntervalsOn(line, day);
  if (days.size >= DAYS_KEPT_PER_LINE) days.delete(days.keys().next().value!);
  days.set(key, intervals);
  return intervals;
}

/** The opening intervals of one local day, in order, as instants; none on a holiday of the line's calendar. */
function workOutIntervalsOn(line: Line, day: DateTime): [DateTime, DateTime][] {
  if (line.openingHours.kind !== 'weekly' || isHoliday(line.holidays, day)) return [];
  const weekday = day.weekday as Weekday;
  return line.openingHours.intervals
    .filter((interval) => interval.weekdays.includes(weekday))
    .map((interval): [DateTime, DateTime] => [atTimeOfDay(day, interval.opens), atTimeOfDay(day, interval.closes)])
    .sort(([a], [b]) => a.toMillis() - b.toMillis());
}

function atTimeOfDay(day: DateTime, time: string): DateTime {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day');
  const [hour, minute] = time.split(':').map(Number);
  // A time that does not exist on that day (inside a spring-forward gap) moves forward, as luxon does.
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: day.zone });
}

function toUtcIso(instant: DateTime): string {
  return instant.toUTC().toISO()!;
}
