import type * as C from './safety-request.commands';
import { SAFETY_REQUEST_COMMAND_ROLES, type SafetyRequestCommand } from './safety-request.commands';
import type { SafetyRequestEvent, SafetyRequestEventOf } from './safety-request.events';
import type { SafetyRequestState } from './safety-request.state';
import type { SafetyActor } from './safety.actor';
import {
  millisBetween,
  optional,
  refuse,
  requireActor,
  requireInstant,
  requireNoPersonalDataAfterErasure,
  requireNotYetErased,
  requireOneOf,
  requirePositiveInteger,
  requireSealed,
  requireSealedValuesAllowed,
  requireText,
  sealingKeyOf,
} from './safety.rules';
import {
  INCIDENT_KINDS,
  MEETING_OUTCOMES,
  POLICE_DECLINE_REASONS,
  SAFETY_REQUEST_CANCELLATION_REASONS,
  SAFETY_ERASURE_REASONS,
  SAFETY_RISK_LEVELS,
} from './vocabularies';

export const initialSafetyRequestState: SafetyRequestState = Object.freeze({
  status: 'not_drafted',
  requestId: null,
  unitId: null,
  meetingAt: null,
  risk: null,
  draftedAt: null,
  sentAt: null,
  noticeMinutes: null,
  late: null,
  acknowledgedAt: null,
  informationRequests: 0,
  informationPending: false,
  answer: null,
  outcome: null,
  incidentKind: null,
  emergencyId: null,
  outcomeRecordedAt: null,
  cancelledAt: null,
  cancellationReason: null,
  personalDataErasedAt: null,
  sealingKeyId: null,
});

// ---------------------------------------------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------------------------------------------

/** The events a command produces on a request, or a `SafetyRuleViolation` / `SafetyAccessDenied` naming the rule. */
export function decideSafetyRequest(command: SafetyRequestCommand, state: SafetyRequestState): SafetyRequestEvent[] {
  if (!Object.hasOwn(SAFETY_REQUEST_COMMAND_ROLES, command.type)) return unknownCommand(command as never);
  if (command.type === 'DraftSafetyRequest') return draftSafetyRequest(command, state);

  if (state.status === 'not_drafted') refuse('REQUEST_NOT_DRAFTED', 'No request with this id was drafted');
  if (command.requestId !== state.requestId)
    refuse('REQUEST_ID_MISMATCH', 'The command is for another request', 'requestId');
  requireInstant(command.occurredAt, 'occurredAt');
  // Who acts is checked before anything about the request's state, which another unit has no business learning.
  const actor = requireActor(command.actor, {
    roles: SAFETY_REQUEST_COMMAND_ROLES[command.type],
    unitId: state.unitId,
    ...(command.type === 'SendSafetyRequest' ? { roleCode: 'ONLY_UNIT_OFFICER_MAY_SEND' as const } : {}),
  });
  requireNoPersonalDataAfterErasure(command, state.personalDataErasedAt);
  requireSealedValuesAllowed(command, state.sealingKeyId);
  const { occurredAt } = command;
  // Erasure does not depend on where the request stands: a cancelled or concluded request is erased too.
  if (command.type === 'EraseSafetyRequestPersonalData') {
    requireNotYetErased(state.personalDataErasedAt);
    const reason = requireOneOf(SAFETY_ERASURE_REASONS, command.reason, 'reason');
    return [event('SafetyRequestPersonalDataErased', { reason, actor, occurredAt })];
  }
  if (state.status === 'cancelled') refuse('REQUEST_CANCELLED', 'The request was cancelled');
  if (state.status === 'concluded') refuse('OUTCOME_ALREADY_RECORDED', "The meeting's outcome is already recorded");

  switch (command.type) {
    case 'EditSafetyRequestDraft':
      return editDraft(command, state, actor);
    case 'SendSafetyRequest':
      return send(command, state, actor);
    case 'AcknowledgeSafetyRequest':
      requireUnanswered(state);
      if (state.acknowledgedAt) refuse('REQUEST_ALREADY_ACKNOWLEDGED', 'The police already acknowledged the request');
      return [event('SafetyRequestAcknowledged', { actor, occurredAt })];
    case 'RequestMoreInformation': {
      requireUnanswered(state);
      if (state.informationPending) {
        refuse('INFORMATION_ALREADY_REQUESTED', 'The unit has not yet answered the previous question');
      }
      const question = requireSealed(command.question, 'question');
      return [event('MoreInformationRequested', { question, actor, occurredAt })];
    }
    case 'ProvideMoreInformation': {
      requireSent(state);
      if (!state.informationPending)
        refuse('INFORMATION_NOT_REQUESTED', 'The police have no question waiting for an answer');
      const information = requireSealed(command.information, 'information');
      return [event('MoreInformationProvided', { information, actor, occurredAt })];
    }
    case 'ConfirmPolicePresence': {
      requireUnanswered(state);
      const officers = requirePositiveInteger(command.officers, 'officers');
      const presentFrom = requireInstant(command.presentFrom, 'presentFrom');
      return [event('PolicePresenceConfirmed', { officers, presentFrom, actor, occurredAt })];
    }
    case 'DeclinePolicePresence': {
      requireUnanswered(state);
      const reason = requireOneOf(POLICE_DECLINE_REASONS, command.reason, 'reason');
      return [event('PolicePresenceDeclined', { reason, actor, occurredAt })];
    }
    case 'RecordMeetingOutcome':
      return recordMeetingOutcome(command, state, actor);
    case 'CancelSafetyRequest': {
      if (millisBetween(occurredAt, state.meetingAt!) <= 0) {
        refuse('MEETING_TIME_PASSED', 'A request can be cancelled only before the meeting', 'occurredAt');
      }
      const reason = requireOneOf(SAFETY_REQUEST_CANCELLATION_REASONS, command.reason, 'reason');
      return [event('SafetyRequestCancelled', { reason, actor, occurredAt })];
    }
    default:
      return unknownCommand(command);
  }
}

function draftSafetyRequest(command: C.DraftSafetyRequest, state: SafetyRequestState): SafetyRequestEvent[] {
  if (state.status !== 'not_drafted')
    refuse('REQUEST_ALREADY_DRAFTED', 'A request with this id already exists', 'requestId');
  const requestId = requireText(command.requestId, 'requestId');
  const occurredAt = requireInstant(command.occurredAt, 'occurredAt');
  const unitId = requireText(command.unitId, 'unitId');
  const actor = requireActor(command.actor, { roles: SAFETY_REQUEST_COMMAND_ROLES.DraftSafetyRequest, unitId });
  requireSealedValuesAllowed(command, null);
  const meetingAt = requireFutureMeeting(command.meetingAt, occurredAt);
  return [
    event('SafetyRequestDrafted', {
      requestId,
      unitId,
      meetingAt,
      address: requireSealed(command.address, 'address'),
      serviceUser: requireSealed(command.serviceUser, 'serviceUser'),
      factsSummary: requireSealed(command.factsSummary, 'factsSummary'),
      risk: requireOneOf(SAFETY_RISK_LEVELS, command.risk, 'risk'),
      actor,
      occurredAt,
    }),
  ];
}

function editDraft(
  command: C.EditSafetyRequestDraft,
  state: SafetyRequestState,
  actor: SafetyActor,
): SafetyRequestEvent[] {
  if (state.status !== 'draft') refuse('REQUEST_ALREADY_SENT', 'A request can be edited only until it is sent');
  const { meetingAt, address, serviceUser, factsSummary, risk, occurredAt } = command;
  if ([meetingAt, address, serviceUser, factsSummary, risk].every((value) => value === undefined)) {
    refuse('VALUE_REQUIRED', 'An edit changes at least one field');
  }
  return [
    event('SafetyRequestDraftEdited', {
      ...optional('meetingAt', meetingAt === undefined ? undefined : requireFutureMeeting(meetingAt, occurredAt)),
      ...optional('address', address === undefined ? undefined : requireSealed(address, 'address')),
      ...optional('serviceUser', serviceUser === undefined ? undefined : requireSealed(serviceUser, 'serviceUser')),
      ...optional('factsSummary', factsSummary === undefined ? undefined : requireSealed(factsSummary, 'factsSummary')),
      ...optional('risk', risk === undefined ? undefined : requireOneOf(SAFETY_RISK_LEVELS, risk, 'risk')),
      actor,
      occurredAt,
    }),
  ];
}

function send(command: C.SendSafetyRequest, state: SafetyRequestState, actor: SafetyActor): SafetyRequestEvent[] {
  if (state.status !== 'draft') refuse('REQUEST_ALREADY_SENT', 'The request was already sent');
  const { noticeHours, occurredAt } = command;
  if (typeof noticeHours !== 'number' || !Number.isFinite(noticeHours) || noticeHours < 0) {
    refuse('INVALID_VALUE', 'noticeHours must be a number of hours, zero or more', 'noticeHours');
  }
  const noticeMillis = millisBetween(occurredAt, state.meetingAt!);
  if (noticeMillis <= 0) refuse('MEETING_TIME_PASSED', 'The meeting has already started', 'occurredAt');
  return [
    event('SafetyRequestSent', {
      noticeHoursRequired: noticeHours,
      noticeMinutes: Math.floor(noticeMillis / 60_000),
      // Exactly the required notice is enough; a minute (or a second) less is late.
      late: noticeMillis < noticeHours * 3_600_000,
      actor,
      occurredAt,
    }),
  ];
}

function recordMeetingOutcome(
  command: C.RecordMeetingOutcome,
  state: SafetyRequestState,
  actor: SafetyActor,
): SafetyRequestEvent[] {
  requireSent(state);
  const { occurredAt } = command;
  if (millisBetween(state.meetingAt!, occurredAt) < 0) {
    refuse('MEETING_NOT_YET_HELD', "A meeting's outcome is recorded once the meeting has taken place", 'occurredAt');
  }
  const outcome = requireOneOf(MEETING_OUTCOMES, command.outcome, 'outcome');
  if (outcome === 'no_incident') {
    if (command.incidentKind !== undefined)
      refuse('INVALID_VALUE', 'A meeting without incident has no incident kind', 'incidentKind');
    if (command.emergencyId !== undefined)
      refuse('INVALID_VALUE', 'A meeting without incident opens no emergency', 'emergencyId');
    return [event('MeetingHeldWithoutIncident', { actor, occurredAt })];
  }
  const incidentKind = requireOneOf(INCIDENT_KINDS, command.incidentKind, 'incidentKind');
  const emergencyId = requireText(command.emergencyId, 'emergencyId');
  return [event('IncidentAtMeetingReported', { incidentKind, emergencyId, actor, occurredAt })];
}

// ---------------------------------------------------------------------------------------------------------------
// Rules shared by several commands
// ---------------------------------------------------------------------------------------------------------------

function requireSent(state: SafetyRequestState): void {
  if (state.status !== 'sent') refuse('REQUEST_NOT_SENT', 'The request has not been sent yet');
}

function requireUnanswered(state: SafetyRequestState): void {
  requireSent(state);
  if (state.answer) refuse('REQUEST_ALREADY_ANSWERED', `The police already ${state.answer.kind} presence`);
}

function requireFutureMeeting(value: unknown, occurredAt: string): string {
  const meetingAt = requireInstant(value, 'meetingAt');
  if (millisBetween(occurredAt, meetingAt) <= 0)
    refuse('MEETING_TIME_PASSED', 'The meeting must be in the future', 'meetingAt');
  return meetingAt;
}

function event<T extends SafetyRequestEvent['type']>(
  type: T,
  data: SafetyRequestEventOf<T>['data'],
): SafetyRequestEvent {
  return { type, data } as SafetyRequestEvent;
}

function unknownCommand(command: never): never {
  return refuse('INVALID_VALUE', `Unknown command type ${String((command as { type?: unknown }).type)}`, 'type');
}

// ---------------------------------------------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------------------------------------------

/** The request after one more event. Total: it never throws, whatever the stream holds. */
export function evolveSafetyRequest(state: SafetyRequestState, event: SafetyRequestEvent): SafetyRequestState {
  const next = applyFacts(state, event);
  const sealingKeyId = sealingKeyOf(next.sealingKeyId, event.data);
  return sealingKeyId === next.sealingKeyId ? next : { ...next, sealingKeyId };
}

function applyFacts(state: SafetyRequestState, event: SafetyRequestEvent): SafetyRequestState {
  switch (event.type) {
    case 'SafetyRequestDrafted':
      return {
        ...state,
        status: 'draft',
        requestId: event.data.requestId,
        unitId: event.data.unitId,
        meetingAt: event.data.meetingAt,
        risk: event.data.risk,
        draftedAt: event.data.occurredAt,
      };
    case 'SafetyRequestDraftEdited':
      return { ...state, meetingAt: event.data.meetingAt ?? state.meetingAt, risk: event.data.risk ?? state.risk };
    case 'SafetyRequestSent':
      return {
        ...state,
        status: 'sent',
        sentAt: event.data.occurredAt,
        noticeMinutes: event.data.noticeMinutes,
        late: event.data.late,
      };
    case 'SafetyRequestAcknowledged':
      return { ...state, acknowledgedAt: event.data.occurredAt };
    case 'MoreInformationRequested':
      return { ...state, informationRequests: state.informationRequests + 1, informationPending: true };
    case 'MoreInformationProvided':
      return { ...state, informationPending: false };
    case 'PolicePresenceConfirmed':
      return {
        ...state,
        informationPending: false,
        answer: {
          kind: 'confirmed',
          officers: event.data.officers,
          presentFrom: event.data.presentFrom,
          answeredAt: event.data.occurredAt,
        },
      };
    case 'PolicePresenceDeclined':
      return {
        ...state,
        informationPending: false,
        answer: { kind: 'declined', reason: event.data.reason, answeredAt: event.data.occurredAt },
      };
    case 'MeetingHeldWithoutIncident':
      return { ...state, status: 'concluded', outcome: 'no_incident', outcomeRecordedAt: event.data.occurredAt };
    case 'IncidentAtMeetingReported':
      return {
        ...state,
        status: 'concluded',
        outcome: 'incident',
        incidentKind: event.data.incidentKind,
        emergencyId: event.data.emergencyId,
        outcomeRecordedAt: event.data.occurredAt,
      };
    case 'SafetyRequestCancelled':
      return {
        ...state,
        status: 'cancelled',
        informationPending: false,
        cancelledAt: event.data.occurredAt,
        cancellationReason: event.data.reason,
      };
    case 'SafetyRequestPersonalDataErased':
      return { ...state, personalDataErasedAt: event.data.occurredAt };
    default:
      return state;
  }
}

/** The state of a request from its whole stream. */
export function foldSafetyRequestEvents(
  events: readonly SafetyRequestEvent[],
  from: SafetyRequestState = initialSafetyRequestState,
): SafetyRequestState {
  return events.reduce(evolveSafetyRequest, from);
}

export const safetyRequestDecider = {
  decide: decideSafetyRequest,
  evolve: evolveSafetyRequest,
  initialState: initialSafetyRequestState,
} as const;
