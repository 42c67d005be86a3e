import type { Principal } from '@helpline/auth';
import { SAFETY_ROLES, UNIT_ROLES, type SafetyActor, type SafetyRole, type UnitRole } from '@helpline/domain';
import { NotInSafetyProtocolError } from './safety-errors';

export function isSafetyRole(role: string): role is SafetyRole {
  return (SAFETY_ROLES as readonly string[]).includes(role);
}

export function isUnitStaff(principal: Principal): principal is Principal & { role: UnitRole; unitId: string } {
  return (UNIT_ROLES as readonly string[]).includes(principal.role) && typeof principal.unitId === 'string';
}

/**
 * The domain's actor for the person behind a verified token: their id, their protocol role and, for a unit's staff,
 * their unit (the token's `unit_id`). A platform role (operator, evaluator, ...) is no actor of the protocol.
 */
export function safetyActorOf(principal: Principal): SafetyActor {
  if (!isSafetyRole(principal.role)) throw new NotInSafetyProtocolError();
  return isUnitStaff(principal)
    ? { id: principal.id, role: principal.role, unitId: principal.unitId }
    : { id: principal.id, role: principal.role };
}
