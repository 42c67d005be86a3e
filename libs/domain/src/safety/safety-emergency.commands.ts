import type { Sealed } from '../shared/sealed';
import type { SafetyActor } from './safety.actor';
import type { DirectorateSharedItem, IncidentKind, PoliceForce, SafetyErasureReason, SafetyRole } from './vocabularies';

type SafetyEmergencyCommandOfShape<TType extends string, TFields> = {
  readonly type: TType;
  /** The emergency's id; its stream is `safety-emergency-<emergencyId>`. */
  readonly emergencyId: string;
  /**
   * When the step happened, ISO-8601 with offset; supplied by the caller, never read from a clock in the domain.
   * For the call, the dispatch and the arrival this is the time the timeline is measured from.
   */
  readonly occurredAt: string;
  readonly actor: SafetyActor;
} & TFields;

/** What the social worker knows of the event itself, whichever way the record is opened. */
interface EmergencyFacts {
  readonly unitId: string;
  readonly kind: IncidentKind;
  /** When the violent event began; not after `occurredAt`. */
  readonly startedAt: string;
  /** Whether other staff on duty were called to help (step 1 of the procedure), and how many came if known. */
  readonly colleaguesCalled: boolean;
  readonly colleaguesCount?: number;
  /** When the operations centre was phoned (step 2), if it already was; it can also be recorded later. */
  readonly operationsCentreCalledAt?: string;
}

/** A social worker records a violent event in progress at the unit or elsewhere. */
export type RecordEmergencyInProgress = SafetyEmergencyCommandOfShape<
  'RecordEmergencyInProgress',
  EmergencyFacts & {
    /** Where it is happening, sealed with the emergency's own key. */
    readonly location: Sealed;
  }
>;

/**
 * Opens the emergency record of an incident reported at a meeting under a safety request
 * (`IncidentAtMeetingReported`); build it with `openEmergencyFromIncident`.
 */
export type OpenEmergencyFromIncident = SafetyEmergencyCommandOfShape<
  'OpenEmergencyFromIncident',
  EmergencyFacts & {
    readonly requestId: string;
    /**
     * Where it happened, sealed with the emergency's own key. Omit it when it happened at the meeting's address,
     * which the request already holds: the personal value is not copied.
     */
    readonly location?: Sealed;
  }
>;

/** The unit phoned the operations centre; `occurredAt` is the time of the call. */
export type RecordOperationsCentreCall = SafetyEmergencyCommandOfShape<'RecordOperationsCentreCall', {}>;

/** The operations centre sent a patrol; `occurredAt` is the time it was sent. */
export type RecordPatrolDispatch = SafetyEmergencyCommandOfShape<'RecordPatrolDispatch', {}>;

export type RecordOtherForcesAlerted = SafetyEmergencyCommandOfShape<
  'RecordOtherForcesAlerted',
  { readonly forces: readonly PoliceForce[] }
>;

/** The patrol reached the place; `occurredAt` is the time it arrived. */
export type RecordPatrolArrival = SafetyEmergencyCommandOfShape<'RecordPatrolArrival', {}>;

/** The patrol's report reached the command, which shared these items with the social-policies directorate. */
export type RecordPatrolReport = SafetyEmergencyCommandOfShape<
  'RecordPatrolReport',
  { readonly sharedWithDirectorate: readonly DirectorateSharedItem[] }
>;

export type CloseEmergency = SafetyEmergencyCommandOfShape<'CloseEmergency', {}>;

/** The area director erases the emergency's personal value (its place) by destroying its key; the timeline stays. */
export type EraseSafetyEmergencyPersonalData = SafetyEmergencyCommandOfShape<
  'EraseSafetyEmergencyPersonalData',
  { readonly reason: SafetyErasureReason }
>;

export type SafetyEmergencyCommand =
  | RecordEmergencyInProgress
  | OpenEmergencyFromIncident
  | RecordOperationsCentreCall
  | RecordPatrolDispatch
  | RecordOtherForcesAlerted
  | RecordPatrolArrival
  | RecordPatrolReport
  | CloseEmergency
  | EraseSafetyEmergencyPersonalData;

export type SafetyEmergencyCommandType = SafetyEmergencyCommand['type'];
export type SafetyEmergencyCommandOf<T extends SafetyEmergencyCommandType> = Extract<
  SafetyEmergencyCommand,
  { type: T }
>;

/** Who may give each command on an emergency (the API can guard its routes with the same table). */
export const SAFETY_EMERGENCY_COMMAND_ROLES: Readonly<Record<SafetyEmergencyCommandType, readonly SafetyRole[]>> = {
  RecordEmergencyInProgress: ['social_worker', 'unit_officer'],
  OpenEmergencyFromIncident: ['social_worker', 'unit_officer'],
  RecordOperationsCentreCall: ['social_worker', 'unit_officer'],
  RecordPatrolDispatch: ['police_operations'],
  RecordOtherForcesAlerted: ['police_operations'],
  RecordPatrolArrival: ['police_operations'],
  RecordPatrolReport: ['police_liaison'],
  CloseEmergency: ['social_worker', 'unit_officer', 'police_liaison'],
  EraseSafetyEmergencyPersonalData: ['area_director'],
};

export const SAFETY_EMERGENCY_COMMAND_TYPES = Object.keys(
  SAFETY_EMERGENCY_COMMAND_ROLES,
) as readonly SafetyEmergencyCommandType[];
