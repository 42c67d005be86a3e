import type { Sealed } from '../shared/sealed';
import type { SafetyActor } from './safety.actor';
import type {
  IncidentKind,
  MeetingOutcome,
  PoliceDeclineReason,
  SafetyErasureReason,
  SafetyRequestCancellationReason,
  SafetyRiskLevel,
  SafetyRole,
} from './vocabularies';

type SafetyRequestCommandOfShape<TType extends string, TFields> = {
  readonly type: TType;
  /** The request's id; its stream is `safety-request-<requestId>`. */
  readonly requestId: string;
  /** When it happened, ISO-8601 with offset; supplied by the caller, never read from a clock in the domain. */
  readonly occurredAt: string;
  readonly actor: SafetyActor;
} & TFields;

/**
 * A request for police presence at a planned meeting, drafted by the unit. Every personal value is sealed with the
 * request's own key (outside the domain), so that destroying that key makes the whole request unreadable.
 */
export type DraftSafetyRequest = SafetyRequestCommandOfShape<
  'DraftSafetyRequest',
  {
    readonly unitId: string;
    readonly meetingAt: string;
    /** Where the meeting takes place. */
    readonly address: Sealed;
    /** The service user's identifying data (dati anagrafici). */
    readonly serviceUser: Sealed;
    /** The short description of the facts the police need to judge the request. */
    readonly factsSummary: Sealed;
    readonly risk: SafetyRiskLevel;
  }
>;

/** Changes to a draft; at least one field. */
export type EditSafetyRequestDraft = SafetyRequestCommandOfShape<
  'EditSafetyRequestDraft',
  {
    readonly meetingAt?: string;
    readonly address?: Sealed;
    readonly serviceUser?: Sealed;
    readonly factsSummary?: Sealed;
    readonly risk?: SafetyRiskLevel;
  }
>;

/**
 * The unit officer sends the request to the police command (and a copy to the area director). A request sent less
 * than `noticeHours` before the meeting is accepted but flagged as late.
 */
export type SendSafetyRequest = SafetyRequestCommandOfShape<
  'SendSafetyRequest',
  {
    /** The notice the protocol asks for, from configuration (48 by default), kept in the event as decided. */
    readonly noticeHours: number;
  }
>;

export type AcknowledgeSafetyRequest = SafetyRequestCommandOfShape<'AcknowledgeSafetyRequest', {}>;

export type RequestMoreInformation = SafetyRequestCommandOfShape<
  'RequestMoreInformation',
  { readonly question: Sealed }
>;

export type ProvideMoreInformation = SafetyRequestCommandOfShape<
  'ProvideMoreInformation',
  { readonly information: Sealed }
>;

export type ConfirmPolicePresence = SafetyRequestCommandOfShape<
  'ConfirmPolicePresence',
  { readonly officers: number; readonly presentFrom: string }
>;

export type DeclinePolicePresence = SafetyRequestCommandOfShape<
  'DeclinePolicePresence',
  { readonly reason: PoliceDeclineReason }
>;

/**
 * How the meeting went, recorded once it has taken place. With `outcome: 'incident'`, `incidentKind` and
 * `emergencyId` are required (the id of the emergency record the handler opens next with
 * `OpenEmergencyFromIncident`); with `no_incident` they must be absent.
 */
export type RecordMeetingOutcome = SafetyRequestCommandOfShape<
  'RecordMeetingOutcome',
  { readonly outcome: MeetingOutcome; readonly incidentKind?: IncidentKind; readonly emergencyId?: string }
>;

export type CancelSafetyRequest = SafetyRequestCommandOfShape<
  'CancelSafetyRequest',
  { readonly reason: SafetyRequestCancellationReason }
>;

/**
 * The area director erases the request's personal values (the service user, the address, the facts, the questions
 * and answers) by destroying its key, and its emergency record's with it. The dates, the steps and the answers stay
 * for the register and the monitoring; nothing personal can be added afterwards.
 */
export type EraseSafetyRequestPersonalData = SafetyRequestCommandOfShape<
  'EraseSafetyRequestPersonalData',
  { readonly reason: SafetyErasureReason }
>;

export type SafetyRequestCommand =
  | DraftSafetyRequest
  | EditSafetyRequestDraft
  | SendSafetyRequest
  | AcknowledgeSafetyRequest
  | RequestMoreInformation
  | ProvideMoreInformation
  | ConfirmPolicePresence
  | DeclinePolicePresence
  | RecordMeetingOutcome
  | CancelSafetyRequest
  | EraseSafetyRequestPersonalData;

export type SafetyRequestCommandType = SafetyRequestCommand['type'];
export type SafetyRequestCommandOf<T extends SafetyRequestCommandType> = Extract<SafetyRequestCommand, { type: T }>;

/** Who may give each command on a request (the API can guard its routes with the same table). */
export const SAFETY_REQUEST_COMMAND_ROLES: Readonly<Record<SafetyRequestCommandType, readonly SafetyRole[]>> = {
  DraftSafetyRequest: ['social_worker', 'unit_officer'],
  EditSafetyRequestDraft: ['social_worker', 'unit_officer'],
  SendSafetyRequest: ['unit_officer'],
  AcknowledgeSafetyRequest: ['police_liaison'],
  RequestMoreInformation: ['police_liaison'],
  ProvideMoreInformation: ['social_worker', 'unit_officer'],
  ConfirmPolicePresence: ['police_liaison'],
  DeclinePolicePresence: ['police_liaison'],
  RecordMeetingOutcome: ['social_worker', 'unit_officer'],
  CancelSafetyRequest: ['social_worker', 'unit_officer'],
  EraseSafetyRequestPersonalData: ['area_director'],
};

export const SAFETY_REQUEST_COMMAND_TYPES = Object.keys(
  SAFETY_REQUEST_COMMAND_ROLES,
) as readonly SafetyRequestCommandType[];
