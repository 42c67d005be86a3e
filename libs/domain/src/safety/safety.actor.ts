import type { SafetyRole } from './vocabularies';

/**
 * Who gives a command. The API authenticates the person and checks the role; the deciders enforce the protocol's
 * own rules on top (only the unit officer sends, a unit acts only on its own records).
 */
export interface SafetyActor {
  /** The staff member's id in the identity provider; never a name. */
  readonly id: string;
  readonly role: SafetyRole;
  /** The territorial social service unit; required for `social_worker` and `unit_officer`. */
  readonly unitId?: string;
}
