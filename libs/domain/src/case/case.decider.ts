import { isInstant } from '../shared/instant';
import { findSealedValues, isSealed, type Sealed } from '../shared/sealed';
import { findLine } from '../lines/lines';
import type { Line } from '../lines/line';
import { callbackDueAt } from '../lines/opening-hours';
import type * as C from './case.commands';
import { COMMANDS_ACCEPTED_WHEN_CLOSED, type CaseCommand } from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import { CaseRuleViolation, type CaseRuleCode } from './case.errors';
import {
  entryOf,
  isOpenReferral,
  type CallbackState,
  type CaseState,
  type ReferralState,
  type SessionState,
} from './case.state';
import {
  AGE_BANDS,
  CALLBACK_ATTEMPT_OUTCOMES,
  CALLBACK_RESOLUTIONS,
  CALLER_TYPES,
  CASE_OUTCOMES,
  CASE_PHASES,
  CHANNELS,
  CONCERNS,
  CONSENT_METHODS,
  CONTACT_DIRECTIONS,
  DECLINE_REASONS,
  ERASURE_REASONS,
  GENDERS,
  GOAL_KINDS,
  HEARD_OF_LINE_SOURCES,
  LEGAL_ADVICE_TOPICS,
  PERSONAL_SHARED_FIELDS,
  PROBLEM_CATEGORIES,
  REFERRAL_WITHDRAWAL_REASONS,
  REOPEN_REASONS,
  REQUEST_CATEGORIES,
  REQUESTED_DISCARD_REASONS,
  RISK_KINDS,
  RISK_LEVELS,
  SAFETY_ESCALATION_ACTIONS,
  SESSION_MODES,
  SHARED_FIELDS,
  isOneOf,
  type CasePhase,
  type CollectedField,
  type CounsellingPhase,
  type ReferralStatus,
  type SharedField,
} from './vocabularies';

export const initialState: CaseState = Object.freeze({
  status: 'not_opened',
  caseId: null,
  lineId: null,
  openedAt: null,
  phase: null,
  furthestPhase: null,
  phaseBeforeClosing: null,
  outcome: null,
  closedAt: null,
  contacts: 0,
  lastContactAt: null,
  assignedOperatorId: null,
  callbacks: Object.freeze({}),
  referrals: Object.freeze({}),
  sessions: Object.freeze({}),
  risk: null,
  safetyEscalations: 0,
  takenInChargeByLine: false,
  sealingKeyId: null,
  personalDataErased: false,
  erasedAt: null,
});

// ---------------------------------------------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------------------------------------------

/** The events a command produces on a case, or a `CaseRuleViolation` naming the rule it breaks. */
export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'RecordFirstContact') return recordFirstContact(command, state);

  if (state.status === 'not_opened') refuse('CASE_NOT_OPENED', 'The case has no first contact yet');
  if (command.caseId !== state.caseId) refuse('CASE_ID_MISMATCH', 'The command is for another case', 'caseId');
  if (state.status === 'closed' && !COMMANDS_ACCEPTED_WHEN_CLOSED.includes(command.type)) {
    refuse('CASE_CLOSED', 'The case is closed: reopen it first');
  }
  requireInstant(command.occurredAt, 'occurredAt');
  requireSealedValuesAllowed(command, state);

  switch (command.type) {
    case 'RecordFollowUpContact':
      return recordFollowUpContact(command, state);
    case 'RequestCallback':
      return requestCallback(command, state);
    case 'RecordCallbackAttempt':
      return recordCallbackAttempt(command, state);
    case 'CompleteCallback':
      return completeCallback(command, state);
    case 'DiscardCallbackNumber':
      return discardCallbackNumber(command, state);
    case 'FrameRequest':
      return [
        event('RequestFramed', {
          categories: requireCategories(REQUEST_CATEGORIES, command.categories),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'ReframeProblem':
      return [
        event('ProblemReframed', {
          categories: requireCategories(PROBLEM_CATEGORIES, command.categories),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'SetGoal':
      return [
        event('GoalSet', {
          goalKind: requireOneOf(GOAL_KINDS, command.goalKind, 'goalKind'),
          ...optionalSealed('description', command.description),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'FlagRisk':
      return [
        event('RiskFlagged', {
          level: requireOneOf(RISK_LEVELS, command.level, 'level'),
          kind: requireOneOf(RISK_KINDS, command.kind, 'kind'),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'EscalateSafety':
      return [
        event('SafetyEscalated', {
          action: requireOneOf(SAFETY_ESCALATION_ACTIONS, command.action, 'action'),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'GiveLegalAdvice':
      return [
        event('LegalAdviceGiven', {
          topic: requireOneOf(LEGAL_ADVICE_TOPICS, command.topic, 'topic'),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'ProposeReferral':
      return proposeReferral(command, state);
    case 'SendHandoff':
      return sendHandoff(command, state);
    case 'AcceptHandoff':
      return acceptHandoff(command, state);
    case 'DeclineHandoff':
      return declineHandoff(command, state);
    case 'ScheduleAppointment':
      return scheduleAppointment(command, state);
    case 'RecordAppointmentAttended':
      requireReferralIn(state, command.referralId, ['appointment_set'], 'APPOINTMENT_NOT_SCHEDULED');
      return [event('AppointmentAttended', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'RecordAppointmentMissed':
      requireReferralIn(state, command.referralId, ['appointment_set'], 'APPOINTMENT_NOT_SCHEDULED');
      return [event('AppointmentMissed', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'RecordTakenIntoCare':
      requireReferralIn(
        state,
        command.referralId,
        ['accepted', 'appointment_set', 'attended'],
        'REFERRAL_NOT_ACCEPTED',
      );
      return [event('TakenIntoCare', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'WithdrawReferral': {
      const referral = requireReferral(state, command.referralId);
      if (!isOpenReferral(referral))
        refuse('REFERRAL_NOT_OPEN', 'Only an open referral can be withdrawn', 'referralId');
      const reason = requireOneOf(REFERRAL_WITHDRAWAL_REASONS, command.reason, 'reason');
      return [event('ReferralWithdrawn', { referralId: referral.referralId, reason, occurredAt: command.occurredAt })];
    }
    case 'EscalateHandoff':
      requireReferralIn(state, command.referralId, ['sent', 'accepted'], 'REFERRAL_NOT_AWAITING_SERVICE');
      return [event('HandoffEscalated', { referralId: command.referralId, occurredAt: command.occurredAt })];
    case 'ExpireReferral': {
      const referral = requireReferral(state, command.referralId);
      if (!isOpenReferral(referral)) refuse('REFERRAL_NOT_OPEN', 'Only an open referral can expire', 'referralId');
      return [event('ReferralExpired', { referralId: referral.referralId, occurredAt: command.occurredAt })];
    }
    case 'AssignOperator': {
      const operatorId = requireText(command.operatorId, 'operatorId');
      if (operatorId === state.assignedOperatorId) {
        refuse('OPERATOR_ALREADY_ASSIGNED', 'The operator is already assigned to the case', 'operatorId');
      }
      return [event('OperatorAssigned', { operatorId, occurredAt: command.occurredAt })];
    }
    case 'AddSupervisionNote':
      return [
        event('SupervisionNoteAdded', {
          supervisorId: requireText(command.supervisorId, 'supervisorId'),
          note: requireSealed(command.note, 'note'),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'ScheduleSession':
      return scheduleSession(command, state);
    case 'RecordSessionHeld':
      requireScheduledSession(state, command.sessionId);
      return [
        event('SessionHeld', {
          sessionId: command.sessionId,
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'RecordSessionMissed':
      requireScheduledSession(state, command.sessionId);
      return [event('SessionMissed', { sessionId: command.sessionId, occurredAt: command.occurredAt })];
    case 'TakeInChargeByLine': {
      if (state.takenInChargeByLine)
        refuse('ALREADY_TAKEN_IN_CHARGE', "The line's team already took the case in charge");
      const professionalId = requireText(command.professionalId, 'professionalId');
      return [event('TakenInChargeByLine', { professionalId, occurredAt: command.occurredAt })];
    }
    case 'CloseCase':
      return closeCase(command, state);
    case 'ReopenCase': {
      if (state.status !== 'closed') refuse('CASE_NOT_CLOSED', 'Only a closed case can be reopened');
      const reason = requireOneOf(REOPEN_REASONS, command.reason, 'reason');
      return [event('CaseReopened', { reason, occurredAt: command.occurredAt })];
    }
    case 'ErasePersonalData': {
      if (state.personalDataErased) refuse('PERSONAL_DATA_ERASED', 'Personal data of the case were already erased');
      const reason = requireOneOf(ERASURE_REASONS, command.reason, 'reason');
      return [event('PersonalDataErased', { reason, occurredAt: command.occurredAt })];
    }
    default:
      return unknownCommand(command);
  }
}

function recordFirstContact(command: C.RecordFirstContact, state: CaseState): CaseEvent[] {
  if (state.status !== 'not_opened') refuse('CASE_ALREADY_OPENED', 'The case already has its first contact');
  const caseId = requireText(command.caseId, 'caseId');
  requireInstant(command.occurredAt, 'occurredAt');
  const line = findLine(command.lineId);
  if (!line) return refuse('UNKNOWN_LINE', 'No line has this id', 'lineId');
  const channel = requireChannelOf(line, command.channel, 'channel');
  const ageBand = requireOneOf(AGE_BANDS, command.ageBand, 'ageBand');
  const gender = requireOneOf(GENDERS, command.gender, 'gender');
  const concern = requireOneOf(CONCERNS, command.concern, 'concern');
  const heardOfLine = requireOneOf(HEARD_OF_LINE_SOURCES, command.heardOfLine, 'heardOfLine');
  requireCollectedOrUnknown(line, 'age_band', ageBand !== 'unknown', 'ageBand');
  requireCollectedOrUnknown(line, 'gender', gender !== 'not_stated', 'gender');
  requireCollectedOrUnknown(line, 'concern', concern !== 'not_stated', 'concern');
  requireCollectedOrUnknown(line, 'heard_of_line', heardOfLine !== 'not_stated', 'heardOfLine');
  return [
    event('FirstContactRecorded', {
      caseId,
      lineId: line.id,
      channel,
      callerType: requireOneOf(CALLER_TYPES, command.callerType, 'callerType'),
      ageBand,
      gender,
      concern,
      heardOfLine,
      outOfHours: requireBoolean(command.outOfHours, 'outOfHours'),
      occurredAt: command.occurredAt,
    }),
  ];
}

function recordFollowUpContact(command: C.RecordFollowUpContact, state: CaseState): CaseEvent[] {
  return [
    event('FollowUpContactRecorded', {
      channel: requireChannelOf(lineOf(state), command.channel, 'channel'),
      direction: requireOneOf(CONTACT_DIRECTIONS, command.direction, 'direction'),
      outOfHours: requireBoolean(command.outOfHours, 'outOfHours'),
      occurredAt: command.occurredAt,
    }),
  ];
}

function requestCallback(command: C.RequestCallback, state: CaseState): CaseEvent[] {
  const line = lineOf(state);
  const callbackId = requireText(command.callbackId, 'callbackId');
  if (entryOf(state.callbacks, callbackId)) {
    refuse('CALLBACK_ALREADY_REQUESTED', 'A call-back with this id was already requested', 'callbackId');
  }
  requireCollectedOrUnknown(line, 'callback_number', true, 'number');
  const number = requireSealed(command.number, 'number');
  if (command.nameOrAlias != null) requireCollectedOrUnknown(line, 'first_name_alias', true, 'nameOrAlias');
  return [
    event('CallbackRequested', {
      callbackId,
      number,
      callerPseudonym: requireText(command.callerPseudonym, 'callerPseudonym'),
      ...optionalSealed('nameOrAlias', command.nameOrAlias),
      dueAt: callbackDueAt(line, command.occurredAt),
      occurredAt: command.occurredAt,
    }),
  ];
}

function recordCallbackAttempt(command: C.RecordCallbackAttempt, state: CaseState): CaseEvent[] {
  const callback = requirePendingCallback(state, command.callbackId);
  if (state.personalDataErased) refuse('PERSONAL_DATA_ERASED', 'The call-back number was erased', 'callbackId');
  if (!callback.number) refuse('CALLBACK_NUMBER_DISCARDED', 'The call-back number was discarded', 'callbackId');
  const outcome = requireOneOf(CALLBACK_ATTEMPT_OUTCOMES, command.outcome, 'outcome');
  return [event('CallbackAttempted', { callbackId: callback.callbackId, outcome, occurredAt: command.occurredAt })];
}

function completeCallback(command: C.CompleteCallback, state: CaseState): CaseEvent[] {
  const callback = requirePendingCallback(state, command.callbackId);
  const resolution = requireOneOf(CALLBACK_RESOLUTIONS, command.resolution, 'resolution');
  const { callbackId } = callback;
  const events: CaseEvent[] = [event('CallbackCompleted', { callbackId, resolution, occurredAt: command.occurredAt })];
  // A number is kept only as long as the call-back needs it.
  if (callback.number) {
    const { occurredAt } = command;
    events.push(event('CallbackNumberDiscarded', { callbackId, reason: 'callback_completed', occurredAt }));
  }
  return events;
}

function discardCallbackNumber(command: C.DiscardCallbackNumber, state: CaseState): CaseEvent[] {
  const callback = requireCallback(state, command.callbackId);
  if (state.personalDataErased) refuse('PERSONAL_DATA_ERASED', 'The call-back number was already erased', 'callbackId');
  if (!callback.number) refuse('CALLBACK_NUMBER_DISCARDED', 'The call-back number was already discarded', 'callbackId');
  const reason = requireOneOf(REQUESTED_DISCARD_REASONS, command.reason, 'reason');
  return [
    event('CallbackNumberDiscarded', { callbackId: callback.callbackId, reason, occurredAt: command.occurredAt }),
  ];
}

function proposeReferral(command: C.ProposeReferral, state: CaseState): CaseEvent[] {
  const referralId = requireText(command.referralId, 'referralId');
  const serviceId = requireText(command.serviceId, 'serviceId');
  if (entryOf(state.referrals, referralId)) {
    refuse('REFERRAL_ALREADY_EXISTS', 'A referral with this id already exists', 'referralId');
  }
  if (Object.values(state.referrals).some((referral) => referral.serviceId === serviceId && isOpenReferral(referral))) {
    refuse('DUPLICATE_OPEN_REFERRAL', 'The case already has an open referral to this service', 'serviceId');
  }
  return [event('ReferralProposed', { referralId, serviceId, occurredAt: command.occurredAt })];
}

function sendHandoff(command: C.SendHandoff, state: CaseState): CaseEvent[] {
  const referral = entryOf(state.referrals, command.referralId);
  if (referral?.status !== 'proposed') {
    refuse('REFERRAL_NOT_PROPOSED', 'Only a proposed referral can be sent to the service', 'referralId');
  }
  if (command.consent?.given !== true) {
    refuse('CONSENT_REQUIRED', "A handoff needs the caller's consent", 'consent');
  }
  const method = requireOneOf(CONSENT_METHODS, command.consent.method, 'consent.method');
  const sharedFields = requireSharedFields(command.sharedFields);
  if (state.personalDataErased && sharedFields.some((field) => isOneOf(PERSONAL_SHARED_FIELDS, field))) {
    refuse('PERSONAL_DATA_ERASED', 'Personal data of the case were erased and cannot be shared', 'sharedFields');
  }
  const sharesSummary = sharedFields.includes('summary_note');
  if (sharesSummary && command.summaryNote === undefined) {
    refuse('SHARED_FIELD_UNAVAILABLE', 'summary_note is shared but no summary note was written', 'summaryNote');
  }
  if (!sharesSummary && command.summaryNote !== undefined) {
    refuse('INVALID_VALUE', 'A summary note is sent only when summary_note is among the shared fields', 'summaryNote');
  }
  const callbacks = Object.values(state.callbacks);
  if (sharedFields.includes('callback_number') && !callbacks.some((callback) => callback.number)) {
    refuse('SHARED_FIELD_UNAVAILABLE', 'The case holds no call-back number to share', 'sharedFields');
  }
  if (sharedFields.includes('first_name_alias') && !callbacks.some((callback) => callback.nameOrAlias)) {
    refuse('SHARED_FIELD_UNAVAILABLE', 'The case holds no name or alias to share', 'sharedFields');
  }
  return [
    event('HandoffSent', {
      referralId: referral.referralId,
      serviceId: referral.serviceId,
      consent: { given: true, method },
      sharedFields,
      ...optionalSealed('summaryNote', command.summaryNote),
      occurredAt: command.occurredAt,
    }),
  ];
}

function acceptHandoff(command: C.AcceptHandoff, state: CaseState): CaseEvent[] {
  const referral = requireReferralIn(state, command.referralId, ['sent'], 'REFERRAL_NOT_SENT');
  const { referralId } = referral;
  const events: CaseEvent[] = [event('HandoffAccepted', { referralId, occurredAt: command.occurredAt })];
  if (command.appointmentAt !== undefined) {
    const appointmentAt = requireInstant(command.appointmentAt, 'appointmentAt');
    events.push(event('AppointmentScheduled', { referralId, appointmentAt, occurredAt: command.occurredAt }));
  }
  return events;
}

function declineHandoff(command: C.DeclineHandoff, state: CaseState): CaseEvent[] {
  const referral = requireReferralIn(state, command.referralId, ['sent'], 'REFERRAL_NOT_SENT');
  const reason = requireOneOf(DECLINE_REASONS, command.reason, 'reason');
  const suggestedServiceId =
    command.suggestedServiceId === undefined
      ? undefined
      : requireText(command.suggestedServiceId, 'suggestedServiceId');
  return [
    event('HandoffDeclined', {
      referralId: referral.referralId,
      reason,
      ...optional('suggestedServiceId', suggestedServiceId),
      occurredAt: command.occurredAt,
    }),
  ];
}

function scheduleAppointment(command: C.ScheduleAppointment, state: CaseState): CaseEvent[] {
  const referral = requireReferralIn(
    state,
    command.referralId,
    ['accepted', 'appointment_set'],
    'REFERRAL_NOT_ACCEPTED',
  );
  const appointmentAt = requireInstant(command.appointmentAt, 'appointmentAt');
  return [
    event('AppointmentScheduled', {
      referralId: referral.referralId,
      appointmentAt,
      ...optional('previousAppointmentAt', referral.appointmentAt ?? undefined),
      occurredAt: command.occurredAt,
    }),
  ];
}

function scheduleSession(command: C.ScheduleSession, state: CaseState): CaseEvent[] {
  const sessionId = requireText(command.sessionId, 'sessionId');
  if (entryOf(state.sessions, sessionId)) {
    refuse('SESSION_ALREADY_SCHEDULED', 'A session with this id was already scheduled', 'sessionId');
  }
  const mode = requireOneOf(SESSION_MODES, command.mode, 'mode');
  requireChannelOf(lineOf(state), mode, 'mode');
  return [
    event('SessionScheduled', {
      sessionId,
      scheduledFor: requireInstant(command.scheduledFor, 'scheduledFor'),
      mode,
      professionalId: requireText(command.professionalId, 'professionalId'),
      occurredAt: command.occurredAt,
    }),
  ];
}

function closeCase(command: C.CloseCase, state: CaseState): CaseEvent[] {
  if (command.outcome === undefined || command.outcome === null) {
    refuse('OUTCOME_REQUIRED', 'A case is closed with an outcome', 'outcome');
  }
  const outcome = requireOneOf(CASE_OUTCOMES, command.outcome, 'outcome');
  // Numbers still held serve no one once the case is closed; they go before the closing so nothing follows it.
  const discarded: CaseEvent[] = Object.values(state.callbacks)
    .filter((callback) => callback.number)
    .map((callback) =>
      event('CallbackNumberDiscarded', {
        callbackId: callback.callbackId,
        reason: 'case_closed',
        occurredAt: command.occurredAt,
      }),
    );
  const closed = event('CaseClosed', {
    outcome,
    ...optionalSealed('note', command.note),
    occurredAt: command.occurredAt,
  });
  return [...discarded, closed];
}

// ---------------------------------------------------------------------------------------------------------------
// Rules shared by several commands
// ---------------------------------------------------------------------------------------------------------------

function refuse(code: CaseRuleCode, reason: string, field?: string): never {
  throw new CaseRuleViolation(code, reason, field);
}

function event<T extends CaseEvent['type']>(type: T, data: CaseEventOf<T>['data']): CaseEvent {
  return { type, data } as CaseEvent;
}

/** `{ key: value }` when the value is present, `{}` otherwise: events carry no undefined properties. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Like `optional`, for a personal value: present means sealed, never plaintext. */
function optionalSealed<K extends string>(key: K, value: Sealed | null | undefined): { [P in K]?: Sealed } {
  return optional(key, value === undefined || value === null ? undefined : requireSealed(value, key));
}

function lineOf(state: CaseState): Line {
  const line = findLine(state.lineId);
  if (!line) return refuse('UNKNOWN_LINE', 'The line of the case is no longer configured', 'lineId');
  return line;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse('VALUE_REQUIRED', `${field} is required`, field);
  return value;
}

function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') refuse('INVALID_VALUE', `${field} must be true or false`, field);
  return value;
}

function requireInstant(value: unknown, field: string): string {
  if (!isInstant(value)) refuse('INVALID_TIMESTAMP', `${field} must be an ISO-8601 instant with an offset`, field);
  return value;
}

function requireOneOf<T extends string>(vocabulary: readonly T[], value: unknown, field: string): T {
  if (value === undefined || value === null) refuse('VALUE_REQUIRED', `${field} is required`, field);
  if (!isOneOf(vocabulary, value)) refuse('INVALID_VALUE', `${field} is not one of the accepted values`, field);
  return value;
}

/** At least one category, each from the vocabulary, each once. */
function requireCategories<T extends string>(vocabulary: readonly T[], values: readonly unknown[]): T[] {
  if (!Array.isArray(values) || values.length === 0) {
    refuse('VALUE_REQUIRED', 'At least one category is required', 'categories');
  }
  return unique(values.map((value) => requireOneOf(vocabulary, value, 'categories')));
}

function requireSharedFields(values: readonly unknown[]): SharedField[] {
  if (!Array.isArray(values)) refuse('VALUE_REQUIRED', 'sharedFields is required (it may be empty)', 'sharedFields');
  return unique(values.map((value) => requireOneOf(SHARED_FIELDS, value, 'sharedFields')));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function requireSealed(value: unknown, field: string): Sealed {
  if (value === undefined || value === null) refuse('VALUE_REQUIRED', `${field} is required`, field);
  if (!isSealed(value)) refuse('INVALID_SEALED_VALUE', `${field} must be a sealed value`, field);
  return value;
}

function requireChannelOf<T extends string>(line: Line, value: T, field: string): T {
  const channel = requireOneOf(CHANNELS, value, field);
  if (!line.channels.includes(channel)) refuse('CHANNEL_NOT_OFFERED', 'The line does not offer this channel', field);
  return value;
}

/** Data minimisation: a line that does not collect a field cannot be given a value for it. */
function requireCollectedOrUnknown(line: Line, collected: CollectedField, hasValue: boolean, field: string): void {
  if (hasValue && !line.collectedFields.includes(collected)) {
    refuse('FIELD_NOT_COLLECTED', 'The line does not collect this field', field);
  }
}

/**
 * Every sealed value a command brings must be well formed and sealed with the case's key, so that erasing that
 * one key makes all of them unreadable; after erasure no new sealed value is accepted at all.
 * The one exception is a call-back's contact (number, name): it has a key of its own, agreed between its
 * fields, so that it can be destroyed as soon as the call-back no longer needs it while the case lives on.
 */
function requireSealedValuesAllowed(command: CaseCommand, state: CaseState): void {
  const found = findSealedValues(command);
  const [first] = found;
  if (!first) return;
  if (state.personalDataErased) {
    refuse(
      'PERSONAL_DATA_ERASED',
      'Personal data of the case were erased: no new personal value is accepted',
      first.path,
    );
  }
  const ownKey = command.type === 'RequestCallback';
  const keyId = ownKey ? first.value.keyId : (state.sealingKeyId ?? first.value.keyId);
  for (const { path, value } of found) {
    if (value.keyId.trim() === '' || value.ciphertext === '') {
      refuse('INVALID_SEALED_VALUE', `${path} must be a sealed value`, path);
    }
    if (value.keyId !== keyId) {
      refuse(
        'SEALING_KEY_MISMATCH',
        ownKey ? `${path} is not sealed with the call-back's key` : `${path} is not sealed with the case key`,
        path,
      );
    }
  }
}

function requireCallback(state: CaseState, callbackId: string): CallbackState {
  const callback = entryOf(state.callbacks, callbackId);
  if (!callback) return refuse('CALLBACK_NOT_REQUESTED', 'No call-back with this id was requested', 'callbackId');
  return callback;
}

function requirePendingCallback(state: CaseState, callbackId: string): CallbackState {
  const callback = requireCallback(state, callbackId);
  if (callback.status === 'completed') {
    refuse('CALLBACK_ALREADY_COMPLETED', 'The call-back was already completed', 'callbackId');
  }
  return callback;
}

function requireReferral(state: CaseState, referralId: string): ReferralState {
  const referral = entryOf(state.referrals, referralId);
  if (!referral) return refuse('REFERRAL_NOT_FOUND', 'The case has no referral with this id', 'referralId');
  return referral;
}

function requireReferralIn(
  state: CaseState,
  referralId: string,
  statuses: readonly ReferralStatus[],
  code: CaseRuleCode,
): ReferralState {
  const referral = requireReferral(state, referralId);
  if (!statuses.includes(referral.status)) {
    refuse(code, `The referral is ${referral.status}; this needs it ${statuses.join(' or ')}`, 'referralId');
  }
  return referral;
}

function requireScheduledSession(state: CaseState, sessionId: string): SessionState {
  const session = entryOf(state.sessions, sessionId);
  if (session?.status !== 'scheduled') {
    refuse('SESSION_NOT_SCHEDULED', 'No session with this id is waiting to take place', 'sessionId');
  }
  return session;
}

function unknownCommand(command: never): never {
  return refuse('INVALID_VALUE', `Unknown command type ${String((command as { type?: unknown }).type)}`, 'type');
}

// ---------------------------------------------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------------------------------------------

const PHASE_OF_EVENT: Partial<Record<CaseEvent['type'], CounsellingPhase>> = {
  FirstContactRecorded: 'first_contact',
  RequestFramed: 'framing',
  ProblemReframed: 'reframing',
  GoalSet: 'goal',
  ReferralProposed: 'orientation',
  HandoffSent: 'accompaniment',
  TakenInChargeByLine: 'accompaniment',
  SessionScheduled: 'accompaniment',
  SessionHeld: 'accompaniment',
};

/** The case after one more event. Total: an event it cannot relate to anything leaves the state as it was. */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  const next = applyFacts(state, event);
  return withPhaseOf(withSealingKey(next, event), event);
}

function applyFacts(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'FirstContactRecorded':
      return {
        ...state,
        status: 'open',
        caseId: event.data.caseId,
        lineId: event.data.lineId,
        openedAt: event.data.occurredAt,
        contacts: state.contacts + 1,
        lastContactAt: event.data.occurredAt,
      };
    case 'FollowUpContactRecorded':
      return { ...state, contacts: state.contacts + 1, lastContactAt: event.data.occurredAt };
    case 'CallbackRequested': {
      const { callbackId, number, nameOrAlias, callerPseudonym, dueAt, occurredAt } = event.data;
      return withCallback(state, {
        callbackId,
        requestedAt: occurredAt,
        dueAt,
        status: 'pending',
        attempts: 0,
        lastAttemptOutcome: null,
        resolution: null,
        completedAt: null,
        number: state.personalDataErased ? null : number,
        nameOrAlias: state.personalDataErased ? null : (nameOrAlias ?? null),
        callerPseudonym: state.personalDataErased ? null : callerPseudonym,
        numberDiscardedAt: null,
      });
    }
    case 'CallbackAttempted':
      return updateCallback(state, event.data.callbackId, (callback) => ({
        ...callback,
        attempts: callback.attempts + 1,
        lastAttemptOutcome: event.data.outcome,
      }));
    case 'CallbackCompleted':
      return updateCallback(state, event.data.callbackId, (callback) => ({
        ...callback,
        status: 'completed',
        resolution: event.data.resolution,
        completedAt: event.data.occurredAt,
      }));
    case 'CallbackNumberDiscarded':
      return updateCallback(state, event.data.callbackId, (callback) => ({
        ...callback,
        number: null,
        nameOrAlias: null,
        numberDiscardedAt: event.data.occurredAt,
      }));
    case 'RiskFlagged':
      return {
        ...state,
        risk: {
          level: event.data.level,
          kinds: unique([...(state.risk?.kinds ?? []), event.data.kind]),
          flaggedAt: event.data.occurredAt,
        },
      };
    case 'SafetyEscalated':
      return { ...state, safetyEscalations: state.safetyEscalations + 1 };
    case 'ReferralProposed': {
      const { referralId, serviceId, occurredAt } = event.data;
      return withReferral(state, {
        referralId,
        serviceId,
        status: 'proposed',
        proposedAt: occurredAt,
        sentAt: null,
        acceptedAt: null,
        declinedAt: null,
        appointmentScheduledAt: null,
        appointmentAt: null,
        attendedAt: null,
        missedAt: null,
        takenIntoCareAt: null,
        withdrawnAt: null,
        expiredAt: null,
        lastEscalatedAt: null,
        escalations: 0,
        consent: null,
        sharedFields: [],
        declineReason: null,
        suggestedServiceId: null,
        withdrawalReason: null,
      });
    }
    case 'HandoffSent':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'sent',
        sentAt: event.data.occurredAt,
        consent: event.data.consent,
        sharedFields: event.data.sharedFields,
      }));
    case 'HandoffAccepted':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'accepted',
        acceptedAt: event.data.occurredAt,
      }));
    case 'HandoffDeclined':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'declined',
        declinedAt: event.data.occurredAt,
        declineReason: event.data.reason,
        suggestedServiceId: event.data.suggestedServiceId ?? null,
      }));
    case 'AppointmentScheduled':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'appointment_set',
        appointmentScheduledAt: event.data.occurredAt,
        appointmentAt: event.data.appointmentAt,
      }));
    case 'AppointmentAttended':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'attended',
        attendedAt: event.data.occurredAt,
      }));
    case 'AppointmentMissed':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'no_show',
        missedAt: event.data.occurredAt,
      }));
    case 'TakenIntoCare':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'taken_into_care',
        takenIntoCareAt: event.data.occurredAt,
      }));
    case 'ReferralWithdrawn':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'withdrawn',
        withdrawnAt: event.data.occurredAt,
        withdrawalReason: event.data.reason,
      }));
    case 'HandoffEscalated':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        escalations: referral.escalations + 1,
        lastEscalatedAt: event.data.occurredAt,
      }));
    case 'ReferralExpired':
      return updateReferral(state, event.data.referralId, (referral) => ({
        ...referral,
        status: 'expired',
        expiredAt: event.data.occurredAt,
      }));
    case 'OperatorAssigned':
      return { ...state, assignedOperatorId: event.data.operatorId };
    case 'SessionScheduled': {
      const { sessionId, scheduledFor, mode, professionalId } = event.data;
      return {
        ...state,
        sessions: {
          ...state.sessions,
          [sessionId]: { sessionId, scheduledFor, mode, professionalId, status: 'scheduled' },
        },
      };
    }
    case 'SessionHeld':
      return updateSession(state, event.data.sessionId, 'held');
    case 'SessionMissed':
      return updateSession(state, event.data.sessionId, 'missed');
    case 'TakenInChargeByLine':
      return { ...state, takenInChargeByLine: true };
    case 'CaseClosed':
      return {
        ...state,
        status: 'closed',
        phaseBeforeClosing: counsellingPhaseOf(state),
        phase: 'closed',
        outcome: event.data.outcome,
        closedAt: event.data.occurredAt,
      };
    case 'CaseReopened':
      return {
        ...state,
        status: 'open',
        phase: state.phaseBeforeClosing ?? state.furthestPhase,
        phaseBeforeClosing: null,
        outcome: null,
        closedAt: null,
      };
    case 'PersonalDataErased':
      return {
        ...state,
        personalDataErased: true,
        erasedAt: event.data.occurredAt,
        callbacks: Object.fromEntries(
          Object.entries(state.callbacks).map(([id, callback]) => [
            id,
            { ...callback, number: null, nameOrAlias: null, callerPseudonym: null },
          ]),
        ),
      };
    default:
      // Framing, reframing, goals, notes and advice change the phase or nothing the decider needs.
      return state;
  }
}

/** Moves the current phase to the event's phase and the furthest phase forward, never back. */
function withPhaseOf(state: CaseState, event: CaseEvent): CaseState {
  const phase = PHASE_OF_EVENT[event.type];
  if (!phase || state.status === 'closed') return state;
  const furthestPhase =
    state.furthestPhase && phaseRank(state.furthestPhase) >= phaseRank(phase) ? state.furthestPhase : phase;
  return { ...state, phase, furthestPhase };
}

function withSealingKey(state: CaseState, event: CaseEvent): CaseState {
  if (state.sealingKeyId || event.type === 'CallbackRequested') return state;
  const [first] = findSealedValues(event.data);
  return first ? { ...state, sealingKeyId: first.value.keyId } : state;
}

function phaseRank(phase: CasePhase): number {
  return CASE_PHASES.indexOf(phase);
}

function counsellingPhaseOf(state: CaseState): CounsellingPhase | null {
  return state.phase === 'closed' ? state.phaseBeforeClosing : state.phase;
}

function withCallback(state: CaseState, callback: CallbackState): CaseState {
  return { ...state, callbacks: { ...state.callbacks, [callback.callbackId]: callback } };
}

function updateCallback(
  state: CaseState,
  callbackId: string,
  change: (callback: CallbackState) => CallbackState,
): CaseState {
  const callback = entryOf(state.callbacks, callbackId);
  return callback ? withCallback(state, change(callback)) : state;
}

function withReferral(state: CaseState, referral: ReferralState): CaseState {
  return { ...state, referrals: { ...state.referrals, [referral.referralId]: referral } };
}

function updateReferral(
  state: CaseState,
  referralId: string,
  change: (referral: ReferralState) => ReferralState,
): CaseState {
  const referral = entryOf(state.referrals, referralId);
  return referral ? withReferral(state, change(referral)) : state;
}

function updateSession(state: CaseState, sessionId: string, status: SessionState['status']): CaseState {
  const session = entryOf(state.sessions, sessionId);
  return session ? { ...state, sessions: { ...state.sessions, [sessionId]: { ...session, status } } } : state;
}

/** The state of a case from its whole stream. */
export function foldCaseEvents(events: readonly CaseEvent[], from: CaseState = initialState): CaseState {
  return events.reduce(evolve, from);
}

export const caseDecider = { decide, evolve, initialState } as const;
