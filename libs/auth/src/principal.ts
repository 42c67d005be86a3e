export const ROLES = ['operator', 'supervisor', 'service_staff', 'evaluator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the verified bearer token says. */
export interface Principal {
  /** The user's stable id (the token's `sub`). */
  readonly id: string;
  readonly role: Role;
  /** The helpline lines the user works on (operators, supervisors). */
  readonly lines: readonly string[];
  /** The service a service_staff user belongs to (a directory service id). */
  readonly serviceId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function worksOnLine(principal: Principal, lineId: string): boolean {
  return principal.role === 'admin' || principal.lines.includes(lineId) || principal.lines.includes('*');
}
