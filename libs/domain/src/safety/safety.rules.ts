// Checks shared by the two safety deciders. Internal to the safety folder: not exported from its index.
import { instantMillis, isInstant } from '../shared/instant';
import { findSealedValues, isSealed, type Sealed } from '../shared/sealed';
import type { SafetyActor } from './safety.actor';
import { SafetyAccessDenied, SafetyRuleViolation, type SafetyAccessCode, type SafetyRuleCode } from './safety.errors';
import { SAFETY_ROLES, UNIT_ROLES, type SafetyRole } from './vocabularies';

export function refuse(code: SafetyRuleCode, reason: string, field?: string): never {
  throw new SafetyRuleViolation(code, reason, field);
}

export function deny(code: SafetyAccessCode, reason: string, field?: string): never {
  throw new SafetyAccessDenied(code, reason, field);
}

export function isOneOf<T extends string>(vocabulary: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (vocabulary as readonly string[]).includes(value);
}

/** `{ key: value }` when the value is present, `{}` otherwise: events carry no undefined properties. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse('VALUE_REQUIRED', `${field} is required`, field);
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') refuse('INVALID_VALUE', `${field} must be true or false`, field);
  return value;
}

export function requirePositiveInteger(value: unknown, field: string): number {
  if (value === undefined || value === null) refuse('VALUE_REQUIRED', `${field} is required`, field);
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    refuse('INVALID_VALUE', `${field} must be a whole number of at least 1`, field);
  return value as number;
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

/** Milliseconds from `from` to `to`, both instants already checked. */
export function millisBetween(from: string, to: string): number {
  return instantMillis(to) - instantMillis(from);
}

/**
 * Every sealed value a command brings must be well formed and sealed with the stream's own key (the first one seen),
 * so that destroying that one key makes every personal value of the request or emergency unreadable.
 */
export function requireSealedValuesAllowed(command: unknown, sealingKeyId: string | null): void {
  const found = findSealedValues(command);
  const [first] = found;
  if (!first) return;
  const keyId = sealingKeyId ?? first.value.keyId;
  for (const { path, value } of found) {
    if (value.keyId.trim() === '' || value.ciphertext === '')
      refuse('INVALID_SEALED_VALUE', `${path} must be a sealed value`, path);
    if (value.keyId !== keyId)
      refuse('SEALING_KEY_MISMATCH', `${path} is not sealed with the key of this record`, path);
  }
}

/**
 * Once a record's key is destroyed, no personal value can be added to it: it could be sealed only with a key that no
 * longer exists, and a new key would make the erased record readable again in part.
 */
export function requireNoPersonalDataAfterErasure(command: unknown, personalDataErasedAt: string | null): void {
  if (personalDataErasedAt === null) return;
  const [first] = findSealedValues(command);
  if (first) {
    refuse(
      'PERSONAL_DATA_ERASED',
      'The personal data of this record were erased: no new personal value is accepted',
      first.path,
    );
  }
}

/** The erasure of a record's personal values, which happens once. */
export function requireNotYetErased(personalDataErasedAt: string | null): void {
  if (personalDataErasedAt !== null)
    refuse('PERSONAL_DATA_ERASED', 'The personal data of this record were already erased');
}

/** The key of the first sealed value in an event, for a state that has none yet. */
export function sealingKeyOf(current: string | null, eventData: unknown): string | null {
  if (current) return current;
  const [first] = findSealedValues(eventData);
  return first ? first.value.keyId : null;
}

export interface ActorRule {
  /** Roles allowed to give the command. */
  readonly roles: readonly SafetyRole[];
  /** The unit that owns the record: a unit role must belong to it. */
  readonly unitId: string | null;
  /** The code for a role outside `roles`; `ROLE_NOT_ALLOWED` unless the protocol names the rule. */
  readonly roleCode?: SafetyAccessCode;
}

/** A well-formed actor, allowed for the command, and of the record's own unit when the role is a unit role. */
export function requireActor(actor: unknown, rule: ActorRule): SafetyActor {
  if (typeof actor !== 'object' || actor === null) return refuse('VALUE_REQUIRED', 'actor is required', 'actor');
  const { id, role, unitId } = actor as Partial<SafetyActor>;
  requireText(id, 'actor.id');
  requireOneOf(SAFETY_ROLES, role, 'actor.role');
  if (unitId !== undefined) requireText(unitId, 'actor.unitId');
  if (!rule.roles.includes(role!)) {
    deny(rule.roleCode ?? 'ROLE_NOT_ALLOWED', `The role ${role} may not take this step`, 'actor.role');
  }
  if (isOneOf(UNIT_ROLES, role) && (unitId === undefined || unitId !== rule.unitId)) {
    deny('OTHER_UNIT', 'The record belongs to another unit', 'actor.unitId');
  }
  return { id: id!, role: role!, ...optional('unitId', unitId) };
}
