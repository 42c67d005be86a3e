// Test-only fixtures of the safety protocol: they use jest's `expect` through deciderSpec, so the index does not export them.
import type { Sealed } from '../../shared/sealed';
import { deciderSpec } from '../../testing/decider-spec';
import type { SafetyActor } from '../safety.actor';
import type { SafetyRequestCommandOf, SafetyRequestCommandType } from '../safety-request.commands';
import type { SafetyRequestEvent, SafetyRequestEventOf, SafetyRequestEventType } from '../safety-request.events';
import type { SafetyEmergencyCommandOf, SafetyEmergencyCommandType } from '../safety-emergency.commands';
import type {
  SafetyEmergencyEvent,
  SafetyEmergencyEventOf,
  SafetyEmergencyEventType,
} from '../safety-emergency.events';
import { safetyRequestDecider } from '../safety-request.decider';
import { safetyEmergencyDecider } from '../safety-emergency.decider';

export const UNIT_ID = 'unit-municipio-4';
export const OTHER_UNIT_ID = 'unit-municipio-8';
export const REQUEST_ID = 'request-0001';
export const REQUEST_KEY = 'safety-request-key-0001';
export const EMERGENCY_ID = 'emergency-0001';
export const EMERGENCY_KEY = 'safety-emergency-key-0001';

export const requestSpec = deciderSpec(safetyRequestDecider);
export const emergencySpec = deciderSpec(safetyEmergencyDecider);

export const worker: SafetyActor = { id: 'sw-1', role: 'social_worker', unitId: UNIT_ID };
export const officer: SafetyActor = { id: 'po-1', role: 'unit_officer', unitId: UNIT_ID };
export const liaison: SafetyActor = { id: 'pl-1', role: 'police_liaison' };
export const operations: SafetyActor = { id: 'co-1', role: 'police_operations' };
export const director: SafetyActor = { id: 'dir-1', role: 'area_director' };
export const otherUnitWorker: SafetyActor = { id: 'sw-9', role: 'social_worker', unitId: OTHER_UNIT_ID };
export const otherUnitOfficer: SafetyActor = { id: 'po-9', role: 'unit_officer', unitId: OTHER_UNIT_ID };

/** Minutes after Monday 8 March 2021, 09:00 in Milan (the guidelines are of 2 March 2021), so tests read as a timeline. */
export function at(minutes: number): string {
  return new Date(Date.UTC(2021, 2, 8, 8, 0) + minutes * 60_000).toISOString();
}

export const HOUR = 60;
/** The meeting the request is for: three days after the start of the timeline. */
export const MEETING_AT = at(72 * HOUR);

/** A value sealed with the request's key; the ciphertext stands in for what the privacy library would produce. */
export function sealed(label: string, keyId = REQUEST_KEY): Sealed {
  return { keyId, ciphertext: `ciphertext(${label})` };
}

export function sealedForEmergency(label: string): Sealed {
  return sealed(label, EMERGENCY_KEY);
}

// Preventive path

type RequestCommandFields<T extends SafetyRequestCommandType> = Omit<
  SafetyRequestCommandOf<T>,
  'type' | 'requestId' | 'occurredAt' | 'actor'
> &
  Partial<Pick<SafetyRequestCommandOf<T>, 'requestId' | 'occurredAt' | 'actor'>>;

export function requestCommand<T extends SafetyRequestCommandType>(
  type: T,
  fields: RequestCommandFields<T>,
): SafetyRequestCommandOf<T> {
  return {
    type,
    requestId: REQUEST_ID,
    occurredAt: at(10),
    actor: worker,
    ...fields,
  } as unknown as SafetyRequestCommandOf<T>;
}

type RequestEventFields<T extends SafetyRequestEventType> = Omit<
  SafetyRequestEventOf<T>['data'],
  'occurredAt' | 'actor'
> & {
  occurredAt?: string;
  actor?: SafetyActor;
};

export function requestEvent<T extends SafetyRequestEventType>(
  type: T,
  fields: RequestEventFields<T>,
): SafetyRequestEventOf<T> {
  return { type, data: { occurredAt: at(10), actor: worker, ...fields } } as unknown as SafetyRequestEventOf<T>;
}

export const draftFields = {
  unitId: UNIT_ID,
  meetingAt: MEETING_AT,
  address: sealed('via Rubattino 81'),
  serviceUser: sealed('Mario Rossi, 1970-01-01'),
  factsSummary: sealed('threatened the worker at the last meeting'),
  risk: 'high',
} as const;

export const drafted = (fields: Partial<RequestEventFields<'SafetyRequestDrafted'>> = {}): SafetyRequestEvent =>
  requestEvent('SafetyRequestDrafted', { requestId: REQUEST_ID, ...draftFields, occurredAt: at(0), ...fields });

export const sent = (fields: Partial<RequestEventFields<'SafetyRequestSent'>> = {}): SafetyRequestEvent =>
  requestEvent('SafetyRequestSent', {
    noticeHoursRequired: 48,
    noticeMinutes: 72 * HOUR - 60,
    late: false,
    actor: officer,
    occurredAt: at(60),
    ...fields,
  });

export const acknowledged = (): SafetyRequestEvent =>
  requestEvent('SafetyRequestAcknowledged', { actor: liaison, occurredAt: at(120) });

export const informationRequested = (): SafetyRequestEvent =>
  requestEvent('MoreInformationRequested', {
    question: sealed('is he known to carry weapons?'),
    actor: liaison,
    occurredAt: at(180),
  });

export const informationProvided = (): SafetyRequestEvent =>
  requestEvent('MoreInformationProvided', { information: sealed('not known'), actor: worker, occurredAt: at(240) });

export const confirmed = (): SafetyRequestEvent =>
  requestEvent('PolicePresenceConfirmed', {
    officers: 2,
    presentFrom: at(72 * HOUR - 15),
    actor: liaison,
    occurredAt: at(300),
  });

export const declined = (): SafetyRequestEvent =>
  requestEvent('PolicePresenceDeclined', { reason: 'no_officers_available', actor: liaison, occurredAt: at(300) });

export const cancelled = (): SafetyRequestEvent =>
  requestEvent('SafetyRequestCancelled', { reason: 'meeting_cancelled', occurredAt: at(400) });

export const heldWithoutIncident = (): SafetyRequestEvent =>
  requestEvent('MeetingHeldWithoutIncident', { occurredAt: at(73 * HOUR) });

// Emergency path

type EmergencyCommandFields<T extends SafetyEmergencyCommandType> = Omit<
  SafetyEmergencyCommandOf<T>,
  'type' | 'emergencyId' | 'occurredAt' | 'actor'
> &
  Partial<Pick<SafetyEmergencyCommandOf<T>, 'emergencyId' | 'occurredAt' | 'actor'>>;

export function emergencyCommand<T extends SafetyEmergencyCommandType>(
  type: T,
  fields: EmergencyCommandFields<T>,
): SafetyEmergencyCommandOf<T> {
  return {
    type,
    emergencyId: EMERGENCY_ID,
    occurredAt: at(10),
    actor: worker,
    ...fields,
  } as unknown as SafetyEmergencyCommandOf<T>;
}

type EmergencyEventFields<T extends SafetyEmergencyEventType> = Omit<
  SafetyEmergencyEventOf<T>['data'],
  'occurredAt' | 'actor'
> & {
  occurredAt?: string;
  actor?: SafetyActor;
};

export function emergencyEvent<T extends SafetyEmergencyEventType>(
  type: T,
  fields: EmergencyEventFields<T>,
): SafetyEmergencyEventOf<T> {
  return { type, data: { occurredAt: at(10), actor: worker, ...fields } } as unknown as SafetyEmergencyEventOf<T>;
}

/** A verbal aggression at the unit that started at minute 0 and was recorded at minute 2. */
export const emergencyRecorded = (
  fields: Partial<EmergencyEventFields<'EmergencyRecorded'>> = {},
): SafetyEmergencyEvent =>
  emergencyEvent('EmergencyRecorded', {
    emergencyId: EMERGENCY_ID,
    unitId: UNIT_ID,
    kind: 'verbal_aggression',
    startedAt: at(0),
    location: sealedForEmergency('waiting room, via Rubattino 81'),
    colleaguesCalled: true,
    colleaguesCount: 2,
    occurredAt: at(2),
    ...fields,
  });

export const operationsCentreCalled = (minute = 3): SafetyEmergencyEvent =>
  emergencyEvent('OperationsCentreCalled', { occurredAt: at(minute) });

export const patrolDispatched = (minute = 8): SafetyEmergencyEvent =>
  emergencyEvent('PatrolDispatched', { actor: operations, occurredAt: at(minute) });

export const patrolArrived = (minute = 20): SafetyEmergencyEvent =>
  emergencyEvent('PatrolArrived', { actor: operations, occurredAt: at(minute) });

export const emergencyClosed = (minute = 24 * HOUR): SafetyEmergencyEvent =>
  emergencyEvent('EmergencyClosed', { actor: officer, occurredAt: at(minute) });
