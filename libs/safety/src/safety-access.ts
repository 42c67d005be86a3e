import type { Principal } from '@helpline/auth';
import type { SafetyEmergencyState, SafetyRequestState } from '@helpline/domain';
import { isUnitStaff } from './safety-actor';

/*
 * Who sees which record of the protocol, and whose eyes its personal values (the service user's identity, the
 * address, the facts, the questions and answers, the place of an emergency) are opened for. A record someone may
 * not see is answered as if it did not exist (404): another unit's staff never learn that it is there.
 *
 * - A unit's social workers and its officer: their own unit's records, from the draft on, personal values opened.
 * - The police liaison: requests once sent (a draft is the unit's own work), personal values opened: the command
 *   needs them to judge the request; every emergency, with its place.
 * - The operations centre: requests once sent without personal values (it plans presence, the liaison judges);
 *   every emergency with its place (it sends the patrol there).
 * - The area director: requests once sent (the protocol sends the director a copy) and every emergency, personal
 *   values opened.
 * - Platform roles (operators, evaluators, ...): nothing. Lists never carry personal values, whoever asks.
 */

export function canSeeRequest(principal: Principal, state: SafetyRequestState): boolean {
  if (state.status === 'not_drafted') return false;
  switch (principal.role) {
    case 'social_worker':
    case 'unit_officer':
      return isUnitStaff(principal) && principal.unitId === state.unitId;
    case 'police_liaison':
    case 'police_operations':
    case 'area_director':
      return state.sentAt !== null;
    default:
      return false;
  }
}

export function opensRequestPersonalData(principal: Principal, state: SafetyRequestState): boolean {
  if (!canSeeRequest(principal, state)) return false;
  return (
    principal.role === 'social_worker' ||
    principal.role === 'unit_officer' ||
    principal.role === 'police_liaison' ||
    principal.role === 'area_director'
  );
}

export function canSeeEmergency(principal: Principal, state: SafetyEmergencyState): boolean {
  if (state.status === 'not_recorded') return false;
  switch (principal.role) {
    case 'social_worker':
    case 'unit_officer':
      return isUnitStaff(principal) && principal.unitId === state.unitId;
    case 'police_liaison':
    case 'police_operations':
    case 'area_director':
      return true;
    default:
      return false;
  }
}

export function opensEmergencyPersonalData(principal: Principal, state: SafetyEmergencyState): boolean {
  return canSeeEmergency(principal, state);
}

/** The unit whose register and figures a principal may read: their own for a unit's staff, any (null) for the director. */
export function registerScopeOf(principal: Principal): { unitId: string } | 'all' | 'none' {
  if (isUnitStaff(principal)) return { unitId: principal.unitId };
  return principal.role === 'area_director' ? 'all' : 'none';
}
