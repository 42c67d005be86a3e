// Checks and builders shared by the areas of the case decider. Internal to the case folder: not exported from the
// library index.
import { instantMillis, isInstant } from '../shared/instant';
import { isSealed, type Sealed } from '../shared/sealed';
import { findLine } from '../lines/lines';
import type { Line } from '../lines/line';
import type { CaseEvent, CaseEventOf } from './case.events';
import { CaseRuleViolation, type CaseRuleCode } from './case.errors';
import type { CaseState } from './case.state';
import { CHANNELS, isOneOf, type CollectedField } from './vocabularies';

export function refuse(code: CaseRuleCode, reason: string, field?: string): never {
  throw new CaseRuleViolation(code, reason, field);
}

export function event<T extends CaseEvent['type']>(type: T, data: CaseEventOf<T>['data']): CaseEvent {
  return { type, data } as CaseEvent;
}

/** `{ key: value }` when the value is present, `{}` otherwise: events carry no undefined properties. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Like `optional`, for a personal value: present means sealed, never plaintext. */
export function optionalSealed<K extends string>(key: K, value: Sealed | null | undefined): { [P in K]?: Sealed } {
  return optional(key, value === undefined || value === null ? undefined : requireSealed(value, key));
}

export function lineOf(state: CaseState): Line {
  const line = findLine(state.lineId);
  if (!line) return refuse('UNKNOWN_LINE', 'The line of the case is no longer configured', 'lineId');
  return line;
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse('VALUE_REQUIRED', `${field} is required`, field);
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') refuse('INVALID_VALUE', `${field} must be true or false`, field);
  return value;
}

export function requireInstant(value: unknown, field: string): string {
  if (!isInstant(value)) refuse('INVALID_TIMESTAMP', `${field} must be an ISO-8601 instant with an offset`, field);
  return value;
}

export function requireOneOf<T extends string>(vocabulary: readonly T[], value: unknown, field: string): T {
  if (value === undefined || value === null) refuse('VALUE_REQUIRED', `${field} is required`, field);
  if (!isOneOf(vocabulary, value)) refuse('INVALID_VALUE', `${field} is not one of the accepted values`, field);
  return value;
}

export function requireSealed(value: unknown, field: string): Sealed {
  if (value === undefined || value === null) refuse('VALUE_REQUIRED', `${field} is required`, field);
  if (!isSealed(value)) refuse('INVALID_SEALED_VALUE', `${field} must be a sealed value`, field);
  return value;
}

export function requireChannelOf<T extends string>(line: Line, value: T, field: string): T {
  const channel = requireOneOf(CHANNELS, value, field);
  if (!line.channels.includes(channel)) refuse('CHANNEL_NOT_OFFERED', 'The line does not offer this channel', field);
  return value;
}

/** Data minimisation: a line that does not collect a field cannot be given a value for it. */
export function requireCollectedOrUnknown(
  line: Line,
  collected: CollectedField,
  hasValue: boolean,
  field: string,
): void {
  if (hasValue && !line.collectedFields.includes(collected)) {
    refuse('FIELD_NOT_COLLECTED', 'The line does not collect this field', field);
  }
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * Time order: a command's `occurredAt` is on or after the step it follows (`stepAt`, already checked). A conflict
 * (409) rather than a malformed request: the same instant is right on another case, it is the case's history that
 * refuses it.
 */
export function requireNotBefore(
  occurredAt: string,
  stepAt: string | null,
  code: Extract<
    CaseRuleCode,
    'OCCURRED_BEFORE_CASE_OPENED' | 'OCCURRED_BEFORE_PREVIOUS_STEP' | 'APPOINTMENT_NOT_YET_DUE'
  >,
  reason: string,
): void {
  if (stepAt !== null && instantMillis(occurredAt) < instantMillis(stepAt)) refuse(code, reason, 'occurredAt');
}
