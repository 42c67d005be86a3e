import { SAFETY_ROLES, UNIT_ROLES } from '@helpline/domain';

/** The platform's roles, then the roles of the safety protocol between social services and local police (seed 002). */
export const ROLES = ['operator', 'supervisor', 'service_staff', 'evaluator', 'admin', ...SAFETY_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the verified bearer token says. */
export interface Principal {
  /** The user's stable id (the token's `sub`). */
  readonly id: string;
  /** The role this request acts in: of the token's roles, the first one the route admits. */
  readonly role: Role;
  /** Every role the token grants (a supervisor who also evaluates holds two). */
  readonly roles?: readonly Role[];
  /** The helpline lines the user works on (operators, supervisors). */
  readonly lines: readonly string[];
  /** The service a service_staff user belongs to (a directory service id). */
  readonly serviceId?: string;
  /** The territorial social-service unit of a social_worker or unit_officer (the token's `unit_id`). */
  readonly unitId?: string;
}

/** Roles that belong to one territorial unit: their tokens must name it (`unit_id`). */
export function isUnitRole(role: Role): boolean {
  return (UNIT_ROLES as readonly string[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function worksOnLine(principal: Principal, lineId: string): boolean {
  return principal.role === 'admin' || principal.lines.includes(lineId) || principal.lines.includes('*');
}
