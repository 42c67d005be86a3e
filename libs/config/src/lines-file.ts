import { readFileSync } from 'node:fs';
import { CHANNELS, COLLECTED_FIELDS, validateLine } from '@helpline/domain';
import type { Line, Weekday } from '@helpline/domain';

const LINE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CALLBACK_RULES = ['within_opening_hours', 'within_hours'];

/**
 * The lines a deployment serves, from a JSON file (`LINES_FILE`): `{ "lines": [ <Line>, … ] }`, each line shaped as
 * `libs/domain/src/lines/line.ts` says (infra/lines.example.json holds the three seed lines). Every problem is
 * named by its field (`lines[1].openingHours.intervals[0].opens: …`), and none is fixed silently.
 */
export function parseLinesFile(text: string): { lines: Line[]; problems: string[] } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { lines: [], problems: ['is not valid JSON'] };
  }
  const problems: string[] = [];
  const entries = isObject(document) ? document.lines : undefined;
  if (!Array.isArray(entries) || entries.length === 0)
    return { lines: [], problems: ['lines: must be a non-empty list of lines'] };
  const lines = entries.map((entry, index) => parseLine(entry, `lines[${index}]`, problems));
  const ids = lines.map((line) => line.id);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) problems.push(`lines[${index}].id: ${id} is used by another line`);
  });
  if (problems.length === 0)
    lines.forEach((line, index) =>
      problems.push(...validateLine(line).map((problem) => `lines[${index}]: ${problem}`)),
    );
  return { lines, problems };
}

export function readLinesFile(file: string): { lines: Line[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { lines: [], problems: ['names a file that cannot be read'] };
  }
  return parseLinesFile(text);
}

function parseLine(entry: unknown, at: string, problems: string[]): Line {
  const field = new Fields(isObject(entry) ? entry : {}, at, problems);
  if (!isObject(entry)) problems.push(`${at}: must be an object`);
  const openingHours = field.object('openingHours');
  const hoursField = new Fields(openingHours, `${at}.openingHours`, problems);
  const kind = hoursField.oneOf('kind', ['always_open', 'weekly']);
  const holidays = new Fields(field.object('holidays'), `${at}.holidays`, problems);
  const rule = new Fields(field.object('callbackRule'), `${at}.callbackRule`, problems);
  return {
    id: field.string('id', LINE_ID, 'lower-case letters, digits and dashes, at most 40'),
    name: field.string('name'),
    timeZone: field.string('timeZone'),
    openingHours:
      kind === 'weekly'
        ? {
            kind,
            intervals: hoursField.list('intervals').map((interval, index) => {
              const intervalField = new Fields(
                isObject(interval) ? interval : {},
                `${at}.openingHours.intervals[${index}]`,
                problems,
              );
              return {
                weekdays: intervalField.numbers('weekdays') as Weekday[],
                opens: intervalField.string('opens', /^\d{2}:\d{2}$/, 'HH:mm'),
                closes: intervalField.string('closes', /^\d{2}:\d{2}$/, 'HH:mm'),
              };
            }),
          }
        : { kind: 'always_open' },
    holidays: {
      everyYear: holidays.strings('everyYear'),
      easter: holidays.boolean('easter'),
      closedOn: holidays.strings('closedOn', true),
      openOn: holidays.strings('openOn', true),
    },
    channels: field.vocabulary('channels', CHANNELS),
    outOfHoursChannels: field.vocabulary('outOfHoursChannels', CHANNELS, true),
    callbackRule: {
      kind: rule.oneOf('kind', CALLBACK_RULES) as 'within_hours',
      hours: rule.positive('hours'),
    },
    callbackNumberRetentionHours: field.positive('callbackNumberRetentionHours'),
    personalDataRetentionDays: field.positive('personalDataRetentionDays'),
    collectedFields: field.vocabulary('collectedFields', COLLECTED_FIELDS, true),
    aggregatesVisibleToEvaluators: field.boolean('aggregatesVisibleToEvaluators'),
  };
}

/** Reads the fields of one object, recording each problem under its path. */
class Fields {
  constructor(
    private readonly fields: Record<string, unknown>,
    private readonly at: string,
    private readonly problems: string[],
  ) {}

  private problem(name: string, reason: string): void {
    this.problems.push(`${this.at}.${name}: ${reason}`);
  }

  string(name: string, pattern?: RegExp, shape?: string): string {
    const value = this.fields[name];
    if (typeof value !== 'string' || value.trim() === '') this.problem(name, 'must be a non-empty string');
    else if (pattern && !pattern.test(value)) this.problem(name, `must be ${shape}`);
    return typeof value === 'string' ? value : '';
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.fields[name];
    if (!values.includes(value as T)) this.problem(name, `must be one of: ${values.join(', ')}`);
    return values.includes(value as T) ? (value as T) : undefined;
  }

  boolean(name: string): boolean {
    const value = this.fields[name];
    if (typeof value !== 'boolean') this.problem(name, 'must be true or false');
    return value === true;
  }

  positive(name: string): number {
    const value = this.fields[name];
    if (typeof value !== 'number' || !(value > 0)) this.problem(name, 'must be a positive number');
    return typeof value === 'number' ? value : 0;
  }

  object(name: string): Record<string, unknown> {
    const value = this.fields[name];
    if (!isObject(value)) this.problem(name, 'must be an object');
    return isObject(value) ? value : {};
  }

  list(name: string, optional = false): unknown[] {
    const value = this.fields[name];
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) this.problem(name, 'must be a list');
    return Array.isArray(value) ? value : [];
  }

  strings(name: string, optional = false): string[] {
    const values = this.list(name, optional);
    if (!values.every((value) => typeof value === 'string')) this.problem(name, 'must be a list of strings');
    return values.filter((value): value is string => typeof value === 'string');
  }

  numbers(name: string): number[] {
    const values = this.list(name);
    if (!values.every((value) => typeof value === 'number')) this.problem(name, 'must be a list of numbers');
    return values.filter((value): value is number => typeof value === 'number');
  }

  vocabulary<T extends string>(name: string, vocabulary: readonly T[], optional = false): T[] {
    const values = this.strings(name, optional);
    const unknown = values.filter((value) => !vocabulary.includes(value as T));
    if (unknown.length > 0) this.problem(name, `${unknown.join(', ')} not one of: ${vocabulary.join(', ')}`);
    return values as T[];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
