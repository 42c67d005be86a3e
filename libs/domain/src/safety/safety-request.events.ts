import type { Sealed } from '../shared/sealed';
import type { SafetyActor } from './safety.actor';
import type {
  IncidentKind,
  PoliceDeclineReason,
  SafetyErasureReason,
  SafetyRequestCancellationReason,
  SafetyRiskLevel,
} from './vocabularies';

interface SafetyRequestEventOfShape<TType extends string, TData> {
  readonly type: TType;
  /** Every step names who took it and when: the monitoring measures the protocol from these. */
  readonly data: TData & { readonly actor: SafetyActor; readonly occurredAt: string };
}

export type SafetyRequestDrafted = SafetyRequestEventOfShape<
  'SafetyRequestDrafted',
  {
    readonly requestId: string;
    readonly unitId: string;
    readonly meetingAt: string;
    readonly address: Sealed;
    readonly serviceUser: Sealed;
    readonly factsSummary: Sealed;
    readonly risk: SafetyRiskLevel;
  }
>;

/** Only the fields that changed. */
export type SafetyRequestDraftEdited = SafetyRequestEventOfShape<
  'SafetyRequestDraftEdited',
  {
    readonly meetingAt?: string;
    readonly address?: Sealed;
    readonly serviceUser?: Sealed;
    readonly factsSummary?: Sealed;
    readonly risk?: SafetyRiskLevel;
  }
>;

/** Sent to the police command, with a copy to the area director. */
export type SafetyRequestSent = SafetyRequestEventOfShape<
  'SafetyRequestSent',
  {
    /** The notice the protocol asked for when the request was sent, kept as decided even if the rule changes. */
    readonly noticeHoursRequired: number;
    /** Whole minutes from sending to the meeting. */
    readonly noticeMinutes: number;
    /** Sent with less notice than required. */
    readonly late: boolean;
  }
>;

export type SafetyRequestAcknowledged = SafetyRequestEventOfShape<'SafetyRequestAcknowledged', {}>;

export type MoreInformationRequested = SafetyRequestEventOfShape<
  'MoreInformationRequested',
  { readonly question: Sealed }
>;

export type MoreInformationProvided = SafetyRequestEventOfShape<
  'MoreInformationProvided',
  { readonly information: Sealed }
>;

export type PolicePresenceConfirmed = SafetyRequestEventOfShape<
  'PolicePresenceConfirmed',
  { readonly officers: number; readonly presentFrom: string }
>;

export type PolicePresenceDeclined = SafetyRequestEventOfShape<
  'PolicePresenceDeclined',
  { readonly reason: PoliceDeclineReason }
>;

export type MeetingHeldWithoutIncident = SafetyRequestEventOfShape<'MeetingHeldWithoutIncident', {}>;

/**
 * An incident at the meeting. `emergencyId` names the emergency record opened for it, whose stream
 * (`safety-emergency-<emergencyId>`) starts with `EmergencyOpenedFromIncident` carrying this request's id.
 */
export type IncidentAtMeetingReported = SafetyRequestEventOfShape<
  'IncidentAtMeetingReported',
  { readonly incidentKind: IncidentKind; readonly emergencyId: string }
>;

export type SafetyRequestCancelled = SafetyRequestEventOfShape<
  'SafetyRequestCancelled',
  { readonly reason: SafetyRequestCancellationReason }
>;

/** The request's key was destroyed: its sealed values can no longer be opened by anyone. */
export type SafetyRequestPersonalDataErased = SafetyRequestEventOfShape<
  'SafetyRequestPersonalDataErased',
  { readonly reason: SafetyErasureReason }
>;

export type SafetyRequestEvent =
  | SafetyRequestDrafted
  | SafetyRequestDraftEdited
  | SafetyRequestSent
  | SafetyRequestAcknowledged
  | MoreInformationRequested
  | MoreInformationProvided
  | PolicePresenceConfirmed
  | PolicePresenceDeclined
  | MeetingHeldWithoutIncident
  | IncidentAtMeetingReported
  | SafetyRequestCancelled
  | SafetyRequestPersonalDataErased;

export type SafetyRequestEventType = SafetyRequestEvent['type'];
export type SafetyRequestEventOf<T extends SafetyRequestEventType> = Extract<SafetyRequestEvent, { type: T }>;
export type SafetyRequestEventData<T extends SafetyRequestEventType> = SafetyRequestEventOf<T>['data'];

/**
 * The schema version each event type is written with today. Bump one when its data changes shape, and add the
 * step from the previous version in `safety.upcasting.ts`: stored events are upcast when read, never rewritten.
 */
export const safetyRequestEventSchemaVersions: Readonly<Record<SafetyRequestEventType, number>> = {
  SafetyRequestDrafted: 1,
  SafetyRequestDraftEdited: 1,
  SafetyRequestSent: 1,
  SafetyRequestAcknowledged: 1,
  MoreInformationRequested: 1,
  MoreInformationProvided: 1,
  PolicePresenceConfirmed: 1,
  PolicePresenceDeclined: 1,
  MeetingHeldWithoutIncident: 1,
  IncidentAtMeetingReported: 1,
  SafetyRequestCancelled: 1,
  SafetyRequestPersonalDataErased: 1,
};

export const SAFETY_REQUEST_EVENT_TYPES = Object.keys(
  safetyRequestEventSchemaVersions,
) as readonly SafetyRequestEventType[];

export function isSafetyRequestEventType(value: unknown): value is SafetyRequestEventType {
  return typeof value === 'string' && Object.hasOwn(safetyRequestEventSchemaVersions, value);
}
