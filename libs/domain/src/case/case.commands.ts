import type { Sealed } from '../shared/sealed';
import type { LineId } from '../lines/line';
import type {
  AgeBand,
  CallbackAttemptOutcome,
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
  RequestedDiscardReason,
  RiskKind,
  RiskLevel,
  SafetyEscalationAction,
  SessionMode,
  SharedField,
} from './vocabularies';

type CaseCommandOfShape<TType extends string, TFields> = {
  readonly type: TType;
  readonly caseId: string;
  /** When it happened, ISO-8601 with offset; supplied by the caller, never read from a clock in the domain. */
  readonly occurredAt: string;
} & TFields;

export type RecordFirstContact = CaseCommandOfShape<
  'RecordFirstContact',
  {
    readonly lineId: LineId;
    readonly channel: Channel;
    readonly callerType: CallerType;
    readonly ageBand: AgeBand;
    readonly gender: Gender;
    readonly concern: Concern;
    readonly heardOfLine: HeardOfLineSource;
    /** Computed by the caller with `isWithinOpeningHours(line, occurredAt)` (or the time the contact came in). */
    readonly outOfHours: boolean;
    /** Who works the case from the start (usually the operator who took the contact); absent: nobody yet. */
    readonly assignTo?: string;
  }
>;

export type RecordFollowUpContact = CaseCommandOfShape<
  'RecordFollowUpContact',
  { readonly channel: Channel; readonly direction: ContactDirection; readonly outOfHours: boolean }
>;

export type RequestCallback = CaseCommandOfShape<
  'RequestCallback',
  {
    readonly callbackId: string;
    readonly number: Sealed;
    /** The keyed pseudonym of the number, sealed with the case's key. */
    readonly callerPseudonym: Sealed;
    /** `callerLookupHintOf` the pseudonym. */
    readonly callerLookupHint: string;
    /** Whether the line already has a case of this caller that is not erased. */
    readonly returningCaller: boolean;
    readonly nameOrAlias?: Sealed;
  }
>;

export type RecordCallbackAttempt = CaseCommandOfShape<
  'RecordCallbackAttempt',
  { readonly callbackId: string; readonly outcome: CallbackAttemptOutcome }
>;

export type CompleteCallback = CaseCommandOfShape<
  'CompleteCallback',
  { readonly callbackId: string; readonly resolution: CallbackResolution }
>;

export type DiscardCallbackNumber = CaseCommandOfShape<
  'DiscardCallbackNumber',
  { readonly callbackId: string; readonly reason: RequestedDiscardReason }
>;

export type FrameRequest = CaseCommandOfShape<
  'FrameRequest',
  { readonly categories: readonly RequestCategory[]; readonly note?: Sealed }
>;

export type ReframeProblem = CaseCommandOfShape<
  'ReframeProblem',
  { readonly categories: readonly ProblemCategory[]; readonly note?: Sealed }
>;

export type SetGoal = CaseCommandOfShape<'SetGoal', { readonly goalKind: GoalKind; readonly description?: Sealed }>;

export type FlagRisk = CaseCommandOfShape<
  'FlagRisk',
  { readonly level: RiskLevel; readonly kind: RiskKind; readonly note?: Sealed }
>;

export type EscalateSafety = CaseCommandOfShape<
  'EscalateSafety',
  { readonly action: SafetyEscalationAction; readonly note?: Sealed }
>;

export type GiveLegalAdvice = CaseCommandOfShape<
  'GiveLegalAdvice',
  { readonly topic: LegalAdviceTopic; readonly note?: Sealed }
>;

/** The service must exist in the resource directory: the handler checks it, the domain cannot. */
export type ProposeReferral = CaseCommandOfShape<
  'ProposeReferral',
  { readonly referralId: string; readonly serviceId: string }
>;

export type SendHandoff = CaseCommandOfShape<
  'SendHandoff',
  {
    readonly referralId: string;
    readonly consent: { readonly given: boolean; readonly method: ConsentMethod };
    readonly sharedFields: readonly SharedField[];
    readonly summaryNote?: Sealed;
  }
>;

export type AcceptHandoff = CaseCommandOfShape<
  'AcceptHandoff',
  { readonly referralId: string; readonly appointmentAt?: string }
>;

export type DeclineHandoff = CaseCommandOfShape<
  'DeclineHandoff',
  { readonly referralId: string; readonly reason: DeclineReason; readonly suggestedServiceId?: string }
>;

export type ScheduleAppointment = CaseCommandOfShape<
  'ScheduleAppointment',
  { readonly referralId: string; readonly appointmentAt: string }
>;

export type RecordAppointmentAttended = CaseCommandOfShape<
  'RecordAppointmentAttended',
  { readonly referralId: string }
>;

export type RecordAppointmentMissed = CaseCommandOfShape<'RecordAppointmentMissed', { readonly referralId: string }>;

export type RecordTakenIntoCare = CaseCommandOfShape<'RecordTakenIntoCare', { readonly referralId: string }>;

export type WithdrawReferral = CaseCommandOfShape<
  'WithdrawReferral',
  { readonly referralId: string; readonly reason: ReferralWithdrawalReason }
>;

export type EscalateHandoff = CaseCommandOfShape<'EscalateHandoff', { readonly referralId: string }>;

export type ExpireReferral = CaseCommandOfShape<'ExpireReferral', { readonly referralId: string }>;

export type AssignOperator = CaseCommandOfShape<'AssignOperator', { readonly operatorId: string }>;

export type AddSupervisionNote = CaseCommandOfShape<
  'AddSupervisionNote',
  { readonly supervisorId: string; readonly note: Sealed }
>;

export type ScheduleSession = CaseCommandOfShape<
  'ScheduleSession',
  {
    readonly sessionId: string;
    readonly scheduledFor: string;
    readonly mode: SessionMode;
    readonly professionalId: string;
  }
>;

export type RecordSessionHeld = CaseCommandOfShape<
  'RecordSessionHeld',
  { readonly sessionId: string; readonly note?: Sealed }
>;

export type RecordSessionMissed = CaseCommandOfShape<'RecordSessionMissed', { readonly sessionId: string }>;

export type TakeInChargeByLine = CaseCommandOfShape<'TakeInChargeByLine', { readonly professionalId: string }>;

export type CloseCase = CaseCommandOfShape<'CloseCase', { readonly outcome: CaseOutcome; readonly note?: Sealed }>;

export type ReopenCase = CaseCommandOfShape<'ReopenCase', { readonly reason: ReopenReason }>;

export type ErasePersonalData = CaseCommandOfShape<'ErasePersonalData', { readonly reason: ErasureReason }>;

export type RecordCallerFeedback = CaseCommandOfShape<
  'RecordCallerFeedback',
  { readonly rating: CallerFeedbackRating }
>;

export type CaseCommand =
  | RecordFirstContact
  | RecordFollowUpContact
  | RequestCallback
  | RecordCallbackAttempt
  | CompleteCallback
  | DiscardCallbackNumber
  | FrameRequest
  | ReframeProblem
  | SetGoal
  | FlagRisk
  | EscalateSafety
  | GiveLegalAdvice
  | ProposeReferral
  | SendHandoff
  | AcceptHandoff
  | DeclineHandoff
  | ScheduleAppointment
  | RecordAppointmentAttended
  | RecordAppointmentMissed
  | RecordTakenIntoCare
  | WithdrawReferral
  | EscalateHandoff
  | ExpireReferral
  | AssignOperator
  | AddSupervisionNote
  | ScheduleSession
  | RecordSessionHeld
  | RecordSessionMissed
  | TakeInChargeByLine
  | CloseCase
  | ReopenCase
  | ErasePersonalData
  | RecordCallerFeedback;

export type CaseCommandType = CaseCommand['type'];
export type CaseCommandOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>;

const commandTypes: Record<CaseCommandType, true> = {
  RecordFirstContact: true,
  RecordFollowUpContact: true,
  RequestCallback: true,
  RecordCallbackAttempt: true,
  CompleteCallback: true,
  DiscardCallbackNumber: true,
  FrameRequest: true,
  ReframeProblem: true,
  SetGoal: true,
  FlagRisk: true,
  EscalateSafety: true,
  GiveLegalAdvice: true,
  ProposeReferral: true,
  SendHandoff: true,
  AcceptHandoff: true,
  DeclineHandoff: true,
  ScheduleAppointment: true,
  RecordAppointmentAttended: true,
  RecordAppointmentMissed: true,
  RecordTakenIntoCare: true,
  WithdrawReferral: true,
  EscalateHandoff: true,
  ExpireReferral: true,
  AssignOperator: true,
  AddSupervisionNote: true,
  ScheduleSession: true,
  RecordSessionHeld: true,
  RecordSessionMissed: true,
  TakeInChargeByLine: true,
  CloseCase: true,
  ReopenCase: true,
  ErasePersonalData: true,
  RecordCallerFeedback: true,
};

export const CASE_COMMAND_TYPES = Object.keys(commandTypes) as readonly CaseCommandType[];

/**
 * What a closed case still accepts. Erasure is a legal duty that cannot wait for a reopening; a caller's feedback
 * often comes after the closing, and recording it must not reopen the case.
 */
export const COMMANDS_ACCEPTED_WHEN_CLOSED: readonly CaseCommandType[] = [
  'ReopenCase',
  'ErasePersonalData',
  'RecordCallerFeedback',
  // The service's side of a referral sent before the counselling closed: the loop goes on without reopening it.
  'AcceptHandoff',
  'DeclineHandoff',
  'ScheduleAppointment',
  'RecordAppointmentAttended',
  'RecordAppointmentMissed',
  'RecordTakenIntoCare',
];
