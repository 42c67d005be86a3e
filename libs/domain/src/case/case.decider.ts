import { findSealedValues } from '../shared/sealed';
import { COMMANDS_ACCEPTED_WHEN_CLOSED, type CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';
import { decideCallbacks, evolveCallbacks } from './case.callbacks';
import { decideClosing, evolveClosing } from './case.closing';
import { decideContacts, evolveContacts } from './case.contacts';
import { decideCounselling, evolveCounselling } from './case.counselling';
import { decideReferrals, evolveReferrals } from './case.referrals';
import { refuse, requireInstant, requireNotBefore } from './case.rules';
import { decideSessions, evolveSessions } from './case.sessions';
import type { CaseState } from './case.state';
import { decideSupervision, evolveSupervision } from './case.supervision';
import { CASE_PHASES, type CasePhase, type CounsellingPhase } from './vocabularies';

// The case decider composes its areas (case.<area>.ts): each decides its own commands and folds its own events.
// Here live what holds across areas: the rules every command meets, the phase and the case's sealing key.

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
  if (command.type !== 'RecordFirstContact') requireAcceptedByTheCase(command, state);

  switch (command.type) {
    case 'RecordFirstContact':
    case 'RecordFollowUpContact':
      return decideContacts(command, state);
    case 'RequestCallback':
    case 'RecordCallbackAttempt':
    case 'CompleteCallback':
    case 'DiscardCallbackNumber':
      return decideCallbacks(command, state);
    case 'FrameRequest':
    case 'ReframeProblem':
    case 'SetGoal':
    case 'FlagRisk':
    case 'EscalateSafety':
    case 'GiveLegalAdvice':
      return decideCounselling(command);
    case 'ProposeReferral':
    case 'SendHandoff':
    case 'AcceptHandoff':
    case 'DeclineHandoff':
    case 'ScheduleAppointment':
    case 'RecordAppointmentAttended':
    case 'RecordAppointmentMissed':
    case 'RecordTakenIntoCare':
    case 'WithdrawReferral':
    case 'EscalateHandoff':
    case 'ExpireReferral':
      return decideReferrals(command, state);
    case 'AssignOperator':
    case 'AddSupervisionNote':
      return decideSupervision(command, state);
    case 'TakeInChargeByLine':
    case 'ScheduleSession':
    case 'RecordSessionHeld':
    case 'RecordSessionMissed':
      return decideSessions(command, state);
    case 'CloseCase':
    case 'ReopenCase':
    case 'ErasePersonalData':
    case 'RecordCallerFeedback':
      return decideClosing(command, state);
    default:
      // A command type no area decides is a compile error here; at run time, one from an untyped caller.
      return unknownCommand(command);
  }
}

/**
 * What every command but the first contact needs: an opened case, this case, and open unless the command is one
 * a closed case still takes; an instant not before the case's first contact, and sealed values the case can take.
 * (An instant in the future is refused by the command handler, which has a clock.)
 */
function requireAcceptedByTheCase(command: CaseCommand, state: CaseState): void {
  if (state.status === 'not_opened') refuse('CASE_NOT_OPENED', 'The case has no first contact yet');
  if (command.caseId !== state.caseId) refuse('CASE_ID_MISMATCH', 'The command is for another case', 'caseId');
  if (state.status === 'closed' && !COMMANDS_ACCEPTED_WHEN_CLOSED.includes(command.type)) {
    refuse('CASE_CLOSED', 'The case is closed: reopen it first');
  }
  requireInstant(command.occurredAt, 'occurredAt');
  requireNotBefore(
    command.occurredAt,
    state.openedAt,
    'OCCURRED_BEFORE_CASE_OPENED',
    "occurredAt is before the case's first contact",
  );
  requireSealedValuesAllowed(command, state);
}

/**
 * Every sealed value a command brings must be well formed and sealed with the case's key, so that erasing that
 * one key makes all of them unreadable; after erasure no new sealed value is accepted at all.
 * The one exception is a call-back's contact (number, name): it has a key of its own, agreed between its
 * fields, so that it can be destroyed as soon as the call-back no longer needs it while the case lives on (the
 * caller's pseudonym, which outlives the number, is sealed with the case's key).
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
  const ofCallback = (path: string) => command.type === 'RequestCallback' && CALLBACK_CONTACT_FIELDS.includes(path);
  const callbackKeyId = found.find(({ path }) => ofCallback(path))?.value.keyId;
  const caseKeyId = state.sealingKeyId ?? found.find(({ path }) => !ofCallback(path))?.value.keyId;
  for (const { path, value } of found) {
    if (value.keyId.trim() === '' || value.ciphertext === '') {
      refuse('INVALID_SEALED_VALUE', `${path} must be a sealed value`, path);
    }
    if (value.keyId !== (ofCallback(path) ? callbackKeyId : caseKeyId)) {
      refuse(
        'SEALING_KEY_MISMATCH',
        ofCallback(path) ? `${path} is not sealed with the call-back's key` : `${path} is not sealed with the case key`,
        path,
      );
    }
  }
}

const CALLBACK_CONTACT_FIELDS: readonly string[] = ['number', 'nameOrAlias'];

function unknownCommand(command: never): never {
  return refuse('INVALID_VALUE', `Unknown command type ${String((command as { type?: unknown }).type)}`, 'type');
}

// ---------------------------------------------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------------------------------------------

/** The case after one more event. Total: an event it cannot relate to anything leaves the state as it was. */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  const next = applyFacts(state, event);
  return withPhaseOf(withSealingKey(next, event), event);
}

function applyFacts(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'FirstContactRecorded':
    case 'FollowUpContactRecorded':
      return evolveContacts(state, event);
    case 'CallbackRequested':
    case 'CallbackAttempted':
    case 'CallbackCompleted':
    case 'CallbackNumberDiscarded':
      return evolveCallbacks(state, event);
    case 'RequestFramed':
    case 'ProblemReframed':
    case 'GoalSet':
    case 'RiskFlagged':
    case 'SafetyEscalated':
    case 'LegalAdviceGiven':
      return evolveCounselling(state, event);
    case 'ReferralProposed':
    case 'HandoffSent':
    case 'HandoffAccepted':
    case 'HandoffDeclined':
    case 'AppointmentScheduled':
    case 'AppointmentAttended':
    case 'AppointmentMissed':
    case 'TakenIntoCare':
    case 'ReferralWithdrawn':
    case 'HandoffEscalated':
    case 'ReferralExpired':
      return evolveReferrals(state, event);
    case 'OperatorAssigned':
    case 'SupervisionNoteAdded':
      return evolveSupervision(state, event);
    case 'TakenInChargeByLine':
    case 'SessionScheduled':
    case 'SessionHeld':
    case 'SessionMissed':
      return evolveSessions(state, event);
    case 'CaseClosed':
    case 'CaseReopened':
    case 'PersonalDataErased':
    case 'CallerFeedbackRecorded':
      return evolveClosing(state, event);
    default:
      // An event type no area folds is a compile error here; at run time (a type from a newer writer) it changes
      // nothing.
      return unknownEvent(event, state);
  }
}

function unknownEvent(event: never, state: CaseState): CaseState {
  return state;
}

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

/** Moves the current phase to the event's phase and the furthest phase forward, never back. */
function withPhaseOf(state: CaseState, event: CaseEvent): CaseState {
  const phase = PHASE_OF_EVENT[event.type];
  if (!phase || state.status === 'closed') return state;
  const furthestPhase =
    state.furthestPhase && phaseRank(state.furthestPhase) >= phaseRank(phase) ? state.furthestPhase : phase;
  return { ...state, phase, furthestPhase };
}

function withSealingKey(state: CaseState, event: CaseEvent): CaseState {
  if (state.sealingKeyId) return state;
  const caseKeyed = findSealedValues(event.data).filter(
    ({ path }) => event.type !== 'CallbackRequested' || !CALLBACK_CONTACT_FIELDS.includes(path),
  );
  const [first] = caseKeyed;
  return first ? { ...state, sealingKeyId: first.value.keyId } : state;
}

function phaseRank(phase: CasePhase): number {
  return CASE_PHASES.indexOf(phase);
}

/** The state of a case from its whole stream. */
export function foldCaseEvents(events: readonly CaseEvent[], from: CaseState = initialState): CaseState {
  return events.reduce(evolve, from);
}

export const caseDecider = { decide, evolve, initialState } as const;
