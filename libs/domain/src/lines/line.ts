import type { Channel, CollectedField } from '../case/vocabularies';
import type { HolidayCalendar } from './holidays';

/** ISO weekday as luxon numbers it: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MONDAY: Weekday = 1;
export const TUESDAY: Weekday = 2;
export const WEDNESDAY: Weekday = 3;
export const THURSDAY: Weekday = 4;
export const FRIDAY: Weekday = 5;
export const SATURDAY: Weekday = 6;
export const SUNDAY: Weekday = 7;

/**
 * Operators answer on these weekdays from `opens` to `closes`, wall-clock time of the line ("HH:mm"; `closes` may be
 * "24:00"). An interval never crosses midnight: split it in two.
 */
export interface OpeningInterval {
  readonly weekdays: readonly Weekday[];
  readonly opens: string;
  readonly closes: string;
}

export type OpeningHours =
  { readonly kind: 'always_open' } | { readonly kind: 'weekly'; readonly intervals: readonly OpeningInterval[] };

/**
 * When a call-back is due: within so many hours the line is open (time outside the timetable does not count),
 * or, for a line that never closes, within so many hours.
 */
export type CallbackRule =
  | { readonly kind: 'within_opening_hours'; readonly hours: number }
  | { readonly kind: 'within_hours'; readonly hours: number };

/** The lines the service ships with: the default configuration (`LINES_FILE` replaces it, see lines.ts). */
export const SEED_LINE_IDS = ['sostienimi', 'employee-support', 'psych-emergency'] as const;
/** A line's id: one of the configured lines (`isLineId`), lower-case letters, digits and dashes. */
export type LineId = string;

export interface Line {
  readonly id: LineId;
  readonly name: string;
  /** IANA time zone the timetable is read in. */
  readonly timeZone: string;
  readonly openingHours: OpeningHours;
  /** The days a weekly timetable does not open (holidays, the line's own exceptions); a 24/7 line ignores it. */
  readonly holidays: HolidayCalendar;
  /** Every channel a contact may come through. */
  readonly channels: readonly Channel[];
  /** The channels that still receive contacts while operators are away (answered later). */
  readonly outOfHoursChannels: readonly Channel[];
  readonly callbackRule: CallbackRule;
  /** A call-back number not used by then is destroyed, counted in elapsed hours from the request. */
  readonly callbackNumberRetentionHours: number;
  /**
   * How long a case's personal data (notes, the caller's pseudonym) are kept after the case closes, in days;
   * then they are erased with reason `retention_policy` (CaseRetention). A reopened case starts again.
   */
  readonly personalDataRetentionDays: number;
  /** What the line asks callers; anything else stays unknown. */
  readonly collectedFields: readonly CollectedField[];
  /** Whether evaluators may see this line's aggregates at all. */
  readonly aggregatesVisibleToEvaluators: boolean;
}
