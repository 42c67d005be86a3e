import type { DirectorateSharedItem, IncidentKind, PoliceForce, SafetyEmergencyStatus } from './vocabularies';

/** What the decider needs to know about an emergency record. The sealed location stays in the events. */
export interface SafetyEmergencyState {
  readonly status: SafetyEmergencyStatus;
  readonly emergencyId: string | null;
  readonly unitId: string | null;
  /** The safety request whose meeting it happened at, when it was opened from an incident. */
  readonly requestId: string | null;
  readonly kind: IncidentKind | null;
  readonly startedAt: string | null;
  readonly recordedAt: string | null;
  readonly colleaguesCalled: boolean | null;
  readonly colleaguesCount: number | null;
  readonly operationsCentreCalledAt: string | null;
  readonly patrolDispatchedAt: string | null;
  readonly patrolArrivedAt: string | null;
  readonly forcesAlerted: readonly PoliceForce[];
  readonly reportFiledAt: string | null;
  readonly sharedWithDirectorate: readonly DirectorateSharedItem[] | null;
  readonly closedAt: string | null;
  /** When the area director erased its personal value (its key destroyed); null while it is kept. */
  readonly personalDataErasedAt: string | null;
  /** The key every sealed value of this emergency must be sealed with (the first one seen). */
  readonly sealingKeyId: string | null;
}
