import type * as C from './safety-emergency.commands';
import { SAFETY_EMERGENCY_COMMAND_ROLES, type SafetyEmergencyCommand } from './safety-emergency.commands';
import type { SafetyEmergencyEvent, SafetyEmergencyEventOf } from './safety-emergency.events';
import type { SafetyEmergencyState } from './safety-emergency.state';
import type { SafetyActor } from './safety.actor';
import {
  isOneOf,
  millisBetween,
  optional,
  refuse,
  requireActor,
  requireBoolean,
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
import { DIRECTORATE_SHARED_ITEMS, INCIDENT_KINDS, POLICE_FORCES, SAFETY_ERASURE_REASONS } from './vocabularies';

export const initialSafetyEmergencyState: SafetyEmergencyState = Object.freeze({
  status: 'not_recorded',
  emergencyId: null,
  unitId: null,
  requestId: null,
  kind: null,
  startedAt: null,
  recordedAt: null,
  colleaguesCalled: null,
  colleaguesCount: null,
  operationsCentreCalledAt: null,
  patrolDispatchedAt: null,
  patrolArrivedAt: null,
  forcesAlerted: Object.freeze([]),
  reportFiledAt: null,
  sharedWithDirectorate: null,
  closedAt: null,
  personalDataErasedAt: null,
  sealingKeyId: null,
});

// ---------------------------------------------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------------------------------------------

/** The events a command produces on an emergency, or a `SafetyRuleViolation` / `SafetyAccessDenied` naming the rule. */
export function decideSafetyEmergency(
  command: SafetyEmergencyCommand,
  state: SafetyEmergencyState,
): SafetyEmergencyEvent[] {
  if (!Object.hasOwn(SAFETY_EMERGENCY_COMMAND_ROLES, command.type)) return unknownCommand(command as never);
  if (command.type === 'RecordEmergencyInProgress' || command.type === 'OpenEmergencyFromIncident') {
    return openEmergency(command, state);
  }

  if (state.status === 'not_recorded') refuse('EMERGENCY_NOT_RECORDED', 'No emergency with this id was recorded');
  if (command.emergencyId !== state.emergencyId) {
    refuse('EMERGENCY_ID_MISMATCH', 'The command is for another emergency', 'emergencyId');
  }
  const occurredAt = requireInstant(command.occurredAt, 'occurredAt');
  const actor = requireActor(command.actor, {
    roles: SAFETY_EMERGENCY_COMMAND_ROLES[command.type],
    unitId: state.unitId,
  });
  requireNoPersonalDataAfterErasure(command, state.personalDataErasedAt);
  requireSealedValuesAllowed(command, state.sealingKeyId);
  // Erasure does not depend on where the emergency stands: a closed record is erased too.
  if (command.type === 'EraseSafetyEmergencyPersonalData') {
    requireNotYetErased(state.personalDataErasedAt);
    const reason = requireOneOf(SAFETY_ERASURE_REASONS, command.reason, 'reason');
    return [event('SafetyEmergencyPersonalDataErased', { reason, actor, occurredAt })];
  }
  if (state.status === 'closed') refuse('EMERGENCY_CLOSED', 'The emergency record is closed');
  if (millisBetween(state.startedAt!, occurredAt) < 0) {
    refuse('BEFORE_EMERGENCY_STARTED', 'No step of an emergency comes before the event started', 'occurredAt');
  }

  switch (command.type) {
    case 'RecordOperationsCentreCall':
      if (state.operationsCentreCalledAt) refuse('OPERATIONS_CENTRE_ALREADY_CALLED', 'The call is already recorded');
      if (state.patrolDispatchedAt && millisBetween(occurredAt, state.patrolDispatchedAt) < 0) {
        refuse('DISPATCH_BEFORE_CALL', 'The patrol was recorded as sent before this call', 'occurredAt');
      }
      return [event('OperationsCentreCalled', { actor, occurredAt })];
    case 'RecordPatrolDispatch':
      if (state.patrolDispatchedAt) refuse('PATROL_ALREADY_DISPATCHED', 'A patrol was already sent');
      if (state.operationsCentreCalledAt && millisBetween(state.operationsCentreCalledAt, occurredAt) < 0) {
        refuse('DISPATCH_BEFORE_CALL', 'A patrol cannot be sent before the operations centre was called', 'occurredAt');
      }
      return [event('PatrolDispatched', { actor, occurredAt })];
    case 'RecordOtherForcesAlerted':
      return alertOtherForces(command, state, actor);
    case 'RecordPatrolArrival':
      if (!state.patrolDispatchedAt) refuse('ARRIVAL_BEFORE_DISPATCH', 'No patrol was sent yet');
      if (state.patrolArrivedAt) refuse('PATROL_ALREADY_ARRIVED', 'The patrol arrival is already recorded');
      if (millisBetween(state.patrolDispatchedAt, occurredAt) < 0) {
        refuse('ARRIVAL_BEFORE_DISPATCH', 'The patrol cannot arrive before it was sent', 'occurredAt');
      }
      return [event('PatrolArrived', { actor, occurredAt })];
    case 'RecordPatrolReport': {
      if (!state.patrolArrivedAt) refuse('PATROL_NOT_ARRIVED', 'Only a patrol that intervened writes a report');
      if (state.reportFiledAt) refuse('REPORT_ALREADY_FILED', "The patrol's report is already recorded");
      const sharedWithDirectorate = requireSharedItems(command.sharedWithDirectorate);
      return [event('PatrolReportFiled', { sharedWithDirectorate, actor, occurredAt })];
    }
    case 'CloseEmergency':
      return [event('EmergencyClosed', { actor, occurredAt })];
    default:
      return unknownCommand(command);
  }
}

function openEmergency(
  command: C.RecordEmergencyInProgress | C.OpenEmergencyFromIncident,
  state: SafetyEmergencyState,
): SafetyEmergencyEvent[] {
  if (state.status !== 'not_recorded') {
    refuse('EMERGENCY_ALREADY_RECORDED', 'An emergency with this id already exists', 'emergencyId');
  }
  const emergencyId = requireText(command.emergencyId, 'emergencyId');
  const occurredAt = requireInstant(command.occurredAt, 'occurredAt');
  const unitId = requireText(command.unitId, 'unitId');
  const actor = requireActor(command.actor, { roles: SAFETY_EMERGENCY_COMMAND_ROLES[command.type], unitId });
  requireSealedValuesAllowed(command, null);
  const kind = requireOneOf(INCIDENT_KINDS, command.kind, 'kind');
  const startedAt = requireInstant(command.startedAt, 'startedAt');
  if (millisBetween(startedAt, occurredAt) < 0) {
    refuse('STARTED_AFTER_RECORDING', 'An event is recorded once it has started', 'startedAt');
  }
  const colleaguesCalled = requireBoolean(command.colleaguesCalled, 'colleaguesCalled');
  if (!colleaguesCalled && command.colleaguesCount !== undefined) {
    refuse('INVALID_VALUE', 'A count of colleagues is given only when colleagues were called', 'colleaguesCount');
  }
  const colleaguesCount =
    command.colleaguesCount === undefined
      ? undefined
      : requirePositiveInteger(command.colleaguesCount, 'colleaguesCount');
  const calledAt =
    command.operationsCentreCalledAt === undefined
      ? undefined
      : requireInstant(command.operationsCentreCalledAt, 'operationsCentreCalledAt');
  if (calledAt !== undefined && millisBetween(startedAt, calledAt) < 0) {
    refuse(
      'BEFORE_EMERGENCY_STARTED',
      'The operations centre was called before the event started',
      'operationsCentreCalledAt',
    );
  }
  const facts = {
    emergencyId,
    unitId,
    kind,
    startedAt,
    colleaguesCalled,
    ...optional('colleaguesCount', colleaguesCount),
  };
  const opened =
    command.type === 'RecordEmergencyInProgress'
      ? event('EmergencyRecorded', {
          ...facts,
          location: requireSealed(command.location, 'location'),
          actor,
          occurredAt,
        })
      : event('EmergencyOpenedFromIncident', {
          ...facts,
          requestId: requireText(command.requestId, 'requestId'),
          ...optional(
            'location',
            command.location === undefined ? undefined : requireSealed(command.location, 'location'),
          ),
          actor,
          occurredAt,
        });
  // The call keeps its own time, so that the timeline is measured from it and not from when it was written down.
  return calledAt === undefined ? [opened] : [opened, event('OperationsCentreCalled', { actor, occurredAt: calledAt })];
}

function alertOtherForces(
  command: C.RecordOtherForcesAlerted,
  state: SafetyEmergencyState,
  actor: SafetyActor,
): SafetyEmergencyEvent[] {
  if (!Array.isArray(command.forces) || command.forces.length === 0) {
    refuse('VALUE_REQUIRED', 'At least one force is required', 'forces');
  }
  const forces = unique(command.forces.map((force) => requireOneOf(POLICE_FORCES, force, 'forces')));
  const newlyAlerted = forces.filter((force) => !state.forcesAlerted.includes(force));
  if (newlyAlerted.length === 0)
    refuse('FORCES_ALREADY_ALERTED', 'Every one of these forces was already alerted', 'forces');
  return [event('OtherForcesAlerted', { forces: newlyAlerted, actor, occurredAt: command.occurredAt })];
}

/** At least one item; `none` only on its own. */
function requireSharedItems(values: unknown): C.RecordPatrolReport['sharedWithDirectorate'] {
  if (!Array.isArray(values) || values.length === 0) {
    refuse('VALUE_REQUIRED', "Say what was shared with the directorate, or ['none']", 'sharedWithDirectorate');
  }
  const items = unique(
    values.map((value: unknown) => requireOneOf(DIRECTORATE_SHARED_ITEMS, value, 'sharedWithDirectorate')),
  );
  if (items.length > 1 && isOneOf(items, 'none')) {
    refuse('INVALID_VALUE', "'none' cannot be combined with shared items", 'sharedWithDirectorate');
  }
  return items;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function event<T extends SafetyEmergencyEvent['type']>(
  type: T,
  data: SafetyEmergencyEventOf<T>['data'],
): SafetyEmergencyEvent {
  return { type, data } as SafetyEmergencyEvent;
}

function unknownCommand(command: never): never {
  return refuse('INVALID_VALUE', `Unknown command type ${String((command as { type?: unknown }).type)}`, 'type');
}

// ---------------------------------------------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------------------------------------------

/** The emergency after one more event. Total: it never throws, whatever the stream holds. */
export function evolveSafetyEmergency(state: SafetyEmergencyState, event: SafetyEmergencyEvent): SafetyEmergencyState {
  const next = applyFacts(state, event);
  const sealingKeyId = sealingKeyOf(next.sealingKeyId, event.data);
  return sealingKeyId === next.sealingKeyId ? next : { ...next, sealingKeyId };
}

function applyFacts(state: SafetyEmergencyState, event: SafetyEmergencyEvent): SafetyEmergencyState {
  switch (event.type) {
    case 'EmergencyRecorded':
    case 'EmergencyOpenedFromIncident':
      return {
        ...state,
        status: 'in_progress',
        emergencyId: event.data.emergencyId,
        unitId: event.data.unitId,
        requestId: event.type === 'EmergencyOpenedFromIncident' ? event.data.requestId : null,
        kind: event.data.kind,
        startedAt: event.data.startedAt,
        recordedAt: event.data.occurredAt,
        colleaguesCalled: event.data.colleaguesCalled,
        colleaguesCount: event.data.colleaguesCount ?? null,
      };
    case 'OperationsCentreCalled':
      return { ...state, operationsCentreCalledAt: event.data.occurredAt };
    case 'PatrolDispatched':
      return { ...state, patrolDispatchedAt: event.data.occurredAt };
    case 'OtherForcesAlerted':
      return { ...state, forcesAlerted: unique([...state.forcesAlerted, ...event.data.forces]) };
    case 'PatrolArrived':
      return { ...state, patrolArrivedAt: event.data.occurredAt };
    case 'PatrolReportFiled':
      return {
        ...state,
        reportFiledAt: event.data.occurredAt,
        sharedWithDirectorate: event.data.sharedWithDirectorate,
      };
    case 'EmergencyClosed':
      return { ...state, status: 'closed', closedAt: event.data.occurredAt };
    case 'SafetyEmergencyPersonalDataErased':
      return { ...state, personalDataErasedAt: event.data.occurredAt };
    default:
      return state;
  }
}

/** The state of an emergency from its whole stream. */
export function foldSafetyEmergencyEvents(
  events: readonly SafetyEmergencyEvent[],
  from: SafetyEmergencyState = initialSafetyEmergencyState,
): SafetyEmergencyState {
  return events.reduce(evolveSafetyEmergency, from);
}

export const safetyEmergencyDecider = {
  decide: decideSafetyEmergency,
  evolve: evolveSafetyEmergency,
  initialState: initialSafetyEmergencyState,
} as const;
