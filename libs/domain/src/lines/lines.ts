import { italianCalendar, SANT_AMBROGIO } from './holidays';
import { FRIDAY, MONDAY, SATURDAY, SUNDAY, THURSDAY, TUESDAY, WEDNESDAY, type Line, type LineId } from './line';

/**
 * SostieniMi, the addiction help line (seeds 003, 004): 8 hours a day, 7 days a week, on two shifts; messages
 * and the answering machine outside the timetable. A call-back is due within 4 opening hours: half an
 * operator's shift, so a message left overnight is answered in the first half of the next shift.
 */
export const SOSTIENIMI: Line = {
  id: 'sostienimi',
  name: 'SostieniMi - Help line dipendenze',
  timeZone: 'Europe/Rome',
  openingHours: {
    kind: 'weekly',
    intervals: [
      { weekdays: [MONDAY, WEDNESDAY, FRIDAY, SATURDAY, SUNDAY], opens: '09:00', closes: '17:00' },
      { weekdays: [TUESDAY, THURSDAY], opens: '13:00', closes: '21:00' },
    ],
  },
  // A Milan line: closed on national holidays, Easter and Sant'Ambrogio (7 December).
  holidays: italianCalendar(SANT_AMBROGIO),
  // Seed 004 also counts social-network messages among the online channels.
  channels: ['phone', 'sms', 'whatsapp', 'email', 'chat_social', 'voicemail'],
  outOfHoursChannels: ['voicemail', 'sms', 'whatsapp', 'email', 'chat_social'],
  callbackRule: { kind: 'within_opening_hours', hours: 4 },
  callbackNumberRetentionHours: 7 * 24,
  // A year after closing: a caller who comes back within it finds the line remembers the story.
  personalDataRetentionDays: 365,
  collectedFields: ['age_band', 'gender', 'concern', 'heard_of_line', 'callback_number'],
  aggregatesVisibleToEvaluators: true,
};

/**
 * The 24/7 psychological support line for municipal employees (seed 000): the caller leaves only a name and a
 * number and a professional calls back. Within 2 hours: the line exists for people under acute stress. The
 * municipality must see neither content nor call flows, hence no aggregates for evaluators.
 */
export const EMPLOYEE_SUPPORT: Line = {
  id: 'employee-support',
  name: 'Supporto psicologico dipendenti comunali',
  timeZone: 'Europe/Rome',
  openingHours: { kind: 'always_open' },
  // Open every day of the year: holidays do not apply.
  holidays: italianCalendar(null),
  channels: ['phone', 'voicemail'],
  outOfHoursChannels: [],
  callbackRule: { kind: 'within_hours', hours: 2 },
  callbackNumberRetentionHours: 48,
  // The employer's line keeps the least: a month after the professional closes the case.
  personalDataRetentionDays: 30,
  collectedFields: ['first_name_alias', 'callback_number'],
  aggregatesVisibleToEvaluators: false,
};

/**
 * The psychological and relational emergency service (seed 001): Monday to Saturday 9:30-18:00, by phone or
 * video, for people at risk of harming themselves or others. A call-back is due within 2 opening hours.
 */
export const PSYCH_EMERGENCY: Line = {
  id: 'psych-emergency',
  name: 'Servizio per le emergenze psicologiche e relazionali',
  timeZone: 'Europe/Rome',
  openingHours: {
    kind: 'weekly',
    intervals: [
      { weekdays: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY], opens: '09:30', closes: '18:00' },
    ],
  },
  holidays: italianCalendar(SANT_AMBROGIO),
  channels: ['phone', 'video'],
  outOfHoursChannels: [],
  callbackRule: { kind: 'within_opening_hours', hours: 2 },
  callbackNumberRetentionHours: 7 * 24,
  personalDataRetentionDays: 365,
  collectedFields: ['age_band', 'gender', 'concern', 'heard_of_line', 'callback_number'],
  aggregatesVisibleToEvaluators: true,
};

/** The three seed lines: the configuration when no `LINES_FILE` is given. */
export const SEED_LINES: readonly Line[] = [SOSTIENIMI, EMPLOYEE_SUPPORT, PSYCH_EMERGENCY];

/**
 * The lines this process serves: set once at start from the validated configuration (`configureLines`), before any
 * command is decided. Configuration, not state: the same for every request, like a constant read from a file.
 */
let configured: readonly Line[] = SEED_LINES;

export function configureLines(lines: readonly Line[]): void {
  configured = lines;
}

/** Every configured line. */
export function allLines(): readonly Line[] {
  return configured;
}

export function findLine(id: unknown): Line | undefined {
  return configured.find((line) => line.id === id);
}

export function isLineId(value: unknown): value is LineId {
  return findLine(value) !== undefined;
}
