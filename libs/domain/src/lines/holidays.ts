import type { DateTime } from 'luxon';

/**
 * The days a line is closed although its weekly timetable would open it: data that comes with the line, so the
 * domain stays pure. National holidays, the city's patron saint, and the line's own exceptions either way.
 * (date-holidays would be the well-kept library for this; it is not installed, and Italy's calendar is short:
 * fixed dates plus Easter.)
 */
export interface HolidayCalendar {
  /** Closed every year on these days of the line's calendar, "MM-DD" (national holidays, the patron saint). */
  readonly everyYear: readonly string[];
  /** Closed on Easter Sunday and Easter Monday (Pasqua, Lunedì dell'Angelo). */
  readonly easter: boolean;
  /** The line's own closures, "YYYY-MM-DD" (a staff day, a strike, a closure ordered by the city). */
  readonly closedOn: readonly string[];
  /** Days the line opens as usual although they are holidays, "YYYY-MM-DD" (a holiday shift agreed that year). */
  readonly openOn: readonly string[];
}

/** Italy's national public holidays on fixed dates (L. 260/1949 and later amendments). */
export const ITALIAN_NATIONAL_HOLIDAYS: readonly string[] = [
  '01-01', // Capodanno
  '01-06', // Epifania
  '04-25', // Festa della Liberazione
  '05-01', // Festa del Lavoro
  '06-02', // Festa della Repubblica
  '08-15', // Ferragosto
  '11-01', // Ognissanti
  '12-08', // Immacolata Concezione
  '12-25', // Natale
  '12-26', // Santo Stefano
];

/** A calendar with Italy's national holidays, Easter, and the city's patron saint ("MM-DD"). */
export function italianCalendar(
  patronSaint: string | null,
  own: Partial<Pick<HolidayCalendar, 'closedOn' | 'openOn'>> = {},
): HolidayCalendar {
  return {
    everyYear: patronSaint === null ? ITALIAN_NATIONAL_HOLIDAYS : [...ITALIAN_NATIONAL_HOLIDAYS, patronSaint],
    easter: true,
    closedOn: own.closedOn ?? [],
    openOn: own.openOn ?? [],
  };
}

/** Milan's patron saint, Sant'Ambrogio. */
export const SANT_AMBROGIO = '12-07';

/** True when the line is closed all day on this local day by its calendar. */
export function isHoliday(calendar: HolidayCalendar, day: DateTime): boolean {
  const date = day.toISODate()!;
  if (calendar.openOn.includes(date)) return false;
  if (calendar.closedOn.includes(date)) return true;
  if (calendar.everyYear.includes(date.slice(5))) return true;
  if (!calendar.easter) return false;
  const easter = easterSunday(day.year);
  return (day.month === easter.month && day.day === easter.day) || isEasterMonday(easter, day);
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): { readonly month: number; readonly day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** What is wrong with a calendar; empty when it is usable. */
export function calendarProblems(calendar: HolidayCalendar): string[] {
  const problems: string[] = [];
  for (const day of calendar.everyYear)
    if (!/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(day)) problems.push(`bad holiday ${day}`);
  for (const date of [...calendar.closedOn, ...calendar.openOn]) {
    if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) problems.push(`bad date ${date}`);
  }
  return problems;
}

function isEasterMonday(easter: { readonly month: number; readonly day: number }, day: DateTime): boolean {
  const sunday = day.minus({ days: 1 });
  return sunday.month === easter.month && sunday.day === easter.day;
}
