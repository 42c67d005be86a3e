import type { Sealed } from '../shared/sealed';
import type { SafetyActor } from './safety.actor';
import type { DirectorateSharedItem, IncidentKind, PoliceForce, SafetyErasureReason } from './vocabularies';

interface SafetyEmergencyEventOfShape<TType extends string, TData> {
  readonly type: TType;
  /** Every step names who took it and when it happened: the timeline is measured from these times. */
  readonly data: TData & { readonly actor: SafetyActor; readonly occurredAt: string };
}

interface EmergencyOpeningFacts {
  readonly emergencyId: string;
  readonly unitId: string;
  readonly kind: IncidentKind;
  readonly startedAt: string;
  readonly colleaguesCalled: boolean;
  readonly colleaguesCount?: number;
}

/** First event of an emergency recorded while it is happening. */
export type EmergencyRecorded = SafetyEmergencyEventOfShape<
  'EmergencyRecorded',
  EmergencyOpeningFacts & { readonly location: Sealed }
>;

/**
 * First event of an emergency opened from an incident at a meeting: `requestId` links it to the safety request
 * whose `IncidentAtMeetingReported` names this emergency. Without `location`, the place is the meeting's address.
 */
export type EmergencyOpenedFromIncident = SafetyEmergencyEventOfShape<
  'EmergencyOpenedFromIncident',
  EmergencyOpeningFacts & { readonly requestId: string; readonly location?: Sealed }
>;

/** `occurredAt` is the time of the call. */
export type OperationsCentreCalled = SafetyEmergencyEventOfShape<'OperationsCentreCalled', {}>;

/** `occurredAt` is the time the patrol was sent. */
export type PatrolDispatched = SafetyEmergencyEventOfShape<'PatrolDispatched', {}>;

/** Only the forces not alerted before. */
export type OtherForcesAlerted = SafetyEmergencyEventOfShape<
  'OtherForcesAlerted',
  { readonly forces: readonly PoliceForce[] }
>;

/** `occurredAt` is the time the patrol arrived. */
export type PatrolArrived = SafetyEmergencyEventOfShape<'PatrolArrived', {}>;

export type PatrolReportFiled = SafetyEmergencyEventOfShape<
  'PatrolReportFiled',
  { readonly sharedWithDirectorate: readonly DirectorateSharedItem[] }
>;

export type EmergencyClosed = SafetyEmergencyEventOfShape<'EmergencyClosed', {}>;

/** The emergency's key was destroyed: its place can no longer be opened by anyone. */
export type SafetyEmergencyPersonalDataErased = SafetyEmergencyEventOfShape<
  'SafetyEmergencyPersonalDataErased',
  { readonly reason: SafetyErasureReason }
>;

export type SafetyEmergencyEvent =
  | EmergencyRecorded
  | EmergencyOpenedFromIncident
  | OperationsCentreCalled
  | PatrolDispatched
  | OtherForcesAlerted
  | PatrolArrived
  | PatrolReportFiled
  | EmergencyClosed
  | SafetyEmergencyPersonalDataErased;

export type SafetyEmergencyEventType = SafetyEmergencyEvent['type'];
export type SafetyEmergencyEventOf<T extends SafetyEmergencyEventType> = Extract<SafetyEmergencyEvent, { type: T }>;
export type SafetyEmergencyEventData<T extends SafetyEmergencyEventType> = SafetyEmergencyEventOf<T>['data'];

/**
 * The schema version each event type is written with today. Bump one when its data changes shape, and add the
 * step from the previous version in `safety.upcasting.ts`: stored events are upcast when read, never rewritten.
 */
export const safetyEmergencyEventSchemaVersions: Readonly<Record<SafetyEmergencyEventType, number>> = {
  EmergencyRecorded: 1,
  EmergencyOpenedFromIncident: 1,
  OperationsCentreCalled: 1,
  PatrolDispatched: 1,
  OtherForcesAlerted: 1,
  PatrolArrived: 1,
  PatrolReportFiled: 1,
  EmergencyClosed: 1,
  SafetyEmergencyPersonalDataErased: 1,
};

export const SAFETY_EMERGENCY_EVENT_TYPES = Object.keys(
  safetyEmergencyEventSchemaVersions,
) as readonly SafetyEmergencyEventType[];

export function isSafetyEmergencyEventType(value: unknown): value is SafetyEmergencyEventType {
  return typeof value === 'string' && Object.hasOwn(safetyEmergencyEventSchemaVersions, value);
}
