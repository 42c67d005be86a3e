import type { Sealed } from '../shared/sealed';
import type { LineId } from '../lines/line';
import type {
  AgeBand,
  CallbackAttemptOutcome,
  CallbackNumberDiscardReason,
  CallbackResolution,
  CallerFeedbackRating,
  CallerType,
  CaseOutcome,
  Channel,
  Concern,
  ConsentMethod,
  ContactDirection,
  DeclineReason,
  ErasureReason,
  Gender,
  GoalKind,
  HeardOfLineSource,
  LegalAdviceTopic,
  ProblemCategory,
  ReferralWithdrawalReason,
  ReopenReason,
  RequestCategory,
  RiskKind,
  RiskLevel,
  SafetyEscalationAction,
  SessionMode,
  SharedField,
} from './vocabularies';

interface CaseEventOfShape<TType extends string, TData> {
  readonly type: TType;
  readonly data: TData & { readonly occurredAt: string };
}

// Contacts

export type FirstContactRecorded = CaseEventOfShape<
  'FirstContactRecorded',
  {
    readonly caseId: string;
    readonly lineId: LineId;
    readonly channel: Channel;
    readonly callerType: CallerType;
    readonly ageBand: AgeBand;
    readonly gender: Gender;
    readonly concern: Concern;
    readonly heardOfLine: HeardOfLineSource;
    readonly outOfHours: boolean;
    /**
     * Who works the case from its opening (the operator who took the contact, unless they left it unassigned).
     * Carried here rather than as an OperatorAssigned beside it, so that opening stays one event and a case's
     * version after opening stays 1; absent in events written before it existed, which read as unassigned.
     */
    readonly assignedOperatorId?: string;
  }
>;

export type FollowUpContactRecorded = CaseEventOfShape<
  'FollowUpContactRecorded',
  { readonly channel: Channel; readonly direction: ContactDirection; readonly outOfHours: boolean }
>;

// Call-backs

export type CallbackRequested = CaseEventOfShape<
  'CallbackRequested',
  {
    readonly callbackId: string;
    readonly number: Sealed;
    /**
     * The caller's keyed pseudonym (computed outside the domain), sealed with the case's key: a returning caller is
     * recognised while the case lives, and once the case is erased nothing in the log links it to the number.
     * Absent in version-1 events, which kept it in clear (`legacyCallerPseudonym`).
     */
    readonly callerPseudonym?: Sealed;
    /**
     * One character of the pseudonym (see `callerLookupHintOf`): narrows a look-up by number to about 1/64 of the
     * cases, whose sealed pseudonyms are then opened and compared. On its own it confirms no number.
     */
    readonly callerLookupHint: string;
    /** The line already had a case of this caller, not erased, when the call-back was requested (version 2 on). */
    readonly returningCaller?: boolean;
    /** Version 1 kept the pseudonym in clear; such events are read as they are, never written again. */
    readonly legacyCallerPseudonym?: string;
    /** Only on lines that collect a first name or alias (the employee line). */
    readonly nameOrAlias?: Sealed;
    /** The line's promise at the time of the request, kept as decided even if the rule changes later. */
    readonly dueAt: string;
  }
>;

export type CallbackAttempted = CaseEventOfShape<
  'CallbackAttempted',
  { readonly callbackId: string; readonly outcome: CallbackAttemptOutcome }
>;

export type CallbackCompleted = CaseEventOfShape<
  'CallbackCompleted',
  { readonly callbackId: string; readonly resolution: CallbackResolution }
>;

/** The call-back number (and name or alias, if any) is destroyed; from now on it cannot be dialled. */
export type CallbackNumberDiscarded = CaseEventOfShape<
  'CallbackNumberDiscarded',
  { readonly callbackId: string; readonly reason: CallbackNumberDiscardReason }
>;

// Counselling

export type RequestFramed = CaseEventOfShape<
  'RequestFramed',
  { readonly categories: readonly RequestCategory[]; readonly note?: Sealed }
>;

export type ProblemReframed = CaseEventOfShape<
  'ProblemReframed',
  { readonly categories: readonly ProblemCategory[]; readonly note?: Sealed }
>;

export type GoalSet = CaseEventOfShape<'GoalSet', { readonly goalKind: GoalKind; readonly description?: Sealed }>;

export type RiskFlagged = CaseEventOfShape<
  'RiskFlagged',
  { readonly level: RiskLevel; readonly kind: RiskKind; readonly note?: Sealed }
>;

export type SafetyEscalated = CaseEventOfShape<
  'SafetyEscalated',
  { readonly action: SafetyEscalationAction; readonly note?: Sealed }
>;

export type LegalAdviceGiven = CaseEventOfShape<
  'LegalAdviceGiven',
  { readonly topic: LegalAdviceTopic; readonly note?: Sealed }
>;

// Referrals: the closed loop with a service of the directory

export type ReferralProposed = CaseEventOfShape<
  'ReferralProposed',
  { readonly referralId: string; readonly serviceId: string }
>;

export interface HandoffConsent {
  readonly given: true;
  readonly method: ConsentMethod;
}

export type HandoffSent = CaseEventOfShape<
  'HandoffSent',
  {
    readonly referralId: string;
    readonly serviceId: string;
    readonly consent: HandoffConsent;
    /** Exactly what the service receives, nothing more. */
    readonly sharedFields: readonly SharedField[];
    /** Present exactly when `summary_note` is among the shared fields. */
    readonly summaryNote?: Sealed;
  }
>;

export type HandoffAccepted = CaseEventOfShape<'HandoffAccepted', { readonly referralId: string }>;

export type HandoffDeclined = CaseEventOfShape<
  'HandoffDeclined',
  { readonly referralId: string; readonly reason: DeclineReason; readonly suggestedServiceId?: string }
>;

/** A first appointment set, or moved when `previousAppointmentAt` is present. */
export type AppointmentScheduled = CaseEventOfShape<
  'AppointmentScheduled',
  { readonly referralId: string; readonly appointmentAt: string; readonly previousAppointmentAt?: string }
>;

export type AppointmentAttended = CaseEventOfShape<'AppointmentAttended', { readonly referralId: string }>;

export type AppointmentMissed = CaseEventOfShape<'AppointmentMissed', { readonly referralId: string }>;

export type TakenIntoCare = CaseEventOfShape<'TakenIntoCare', { readonly referralId: string }>;

export type ReferralWithdrawn = CaseEventOfShape<
  'ReferralWithdrawn',
  { readonly referralId: string; readonly reason: ReferralWithdrawalReason }
>;

/** A handoff waited too long for the service; the referral itself stays where it was. */
export type HandoffEscalated = CaseEventOfShape<'HandoffEscalated', { readonly referralId: string }>;

export type ReferralExpired = CaseEventOfShape<'ReferralExpired', { readonly referralId: string }>;

// The line's own work with the caller

export type OperatorAssigned = CaseEventOfShape<'OperatorAssigned', { readonly operatorId: string }>;

export type SupervisionNoteAdded = CaseEventOfShape<
  'SupervisionNoteAdded',
  { readonly supervisorId: string; readonly note: Sealed }
>;

export type SessionScheduled = CaseEventOfShape<
  'SessionScheduled',
  {
    readonly sessionId: string;
    readonly scheduledFor: string;
    readonly mode: SessionMode;
    readonly professionalId: string;
  }
>;

export type SessionHeld = CaseEventOfShape<'SessionHeld', { readonly sessionId: string; readonly note?: Sealed }>;

export type SessionMissed = CaseEventOfShape<'SessionMissed', { readonly sessionId: string }>;

export type TakenInChargeByLine = CaseEventOfShape<'TakenInChargeByLine', { readonly professionalId: string }>;

// Lifecycle

export type CaseClosed = CaseEventOfShape<'CaseClosed', { readonly outcome: CaseOutcome; readonly note?: Sealed }>;

export type CaseReopened = CaseEventOfShape<'CaseReopened', { readonly reason: ReopenReason }>;

/** The case key is destroyed outside the domain; every sealed value of the case is unreadable from now on. */
export type PersonalDataErased = CaseEventOfShape<'PersonalDataErased', { readonly reason: ErasureReason }>;

/** The caller's rating of the line's help, on an open or a closed case; a fact for evaluation, no personal value. */
export type CallerFeedbackRecorded = CaseEventOfShape<
  'CallerFeedbackRecorded',
  { readonly rating: CallerFeedbackRating }
>;

export type CaseEvent =
  | FirstContactRecorded
  | FollowUpContactRecorded
  | CallbackRequested
  | CallbackAttempted
  | CallbackCompleted
  | CallbackNumberDiscarded
  | RequestFramed
  | ProblemReframed
  | GoalSet
  | RiskFlagged
  | SafetyEscalated
  | ReferralProposed
  | HandoffSent
  | HandoffAccepted
  | HandoffDeclined
  | AppointmentScheduled
  | AppointmentAttended
  | AppointmentMissed
  | TakenIntoCare
  | ReferralWithdrawn
  | HandoffEscalated
  | ReferralExpired
  | OperatorAssigned
  | SupervisionNoteAdded
  | SessionScheduled
  | SessionHeld
  | SessionMissed
  | TakenInChargeByLine
  | LegalAdviceGiven
  | CaseClosed
  | CaseReopened
  | PersonalDataErased
  | CallerFeedbackRecorded;

export type CaseEventType = CaseEvent['type'];
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;
export type CaseEventData<T extends CaseEventType> = CaseEventOf<T>['data'];

/**
 * The schema version each event type is written with today. Bump one when its data changes shape, and add the
 * step from the previous version in `case.upcasting.ts`: stored events are upcast when read, never rewritten.
 */
export const caseEventSchemaVersions: Readonly<Record<CaseEventType, number>> = {
  FirstContactRecorded: 1,
  FollowUpContactRecorded: 1,
  CallbackRequested: 2,
  CallbackAttempted: 1,
  CallbackCompleted: 1,
  CallbackNumberDiscarded: 1,
  RequestFramed: 1,
  ProblemReframed: 1,
  GoalSet: 1,
  RiskFlagged: 1,
  SafetyEscalated: 1,
  ReferralProposed: 1,
  HandoffSent: 1,
  HandoffAccepted: 1,
  HandoffDeclined: 1,
  AppointmentScheduled: 1,
  AppointmentAttended: 1,
  AppointmentMissed: 1,
  TakenIntoCare: 1,
  ReferralWithdrawn: 1,
  HandoffEscalated: 1,
  ReferralExpired: 1,
  OperatorAssigned: 1,
  SupervisionNoteAdded: 1,
  SessionScheduled: 1,
  SessionHeld: 1,
  SessionMissed: 1,
  TakenInChargeByLine: 1,
  LegalAdviceGiven: 1,
  CaseClosed: 1,
  CaseReopened: 1,
  PersonalDataErased: 1,
  CallerFeedbackRecorded: 1,
};

export const CASE_EVENT_TYPES = Object.keys(caseEventSchemaVersions) as readonly CaseEventType[];

export function isCaseEventType(value: unknown): value is CaseEventType {
  return typeof value === 'string' && Object.hasOwn(caseEventSchemaVersions, value);
}
