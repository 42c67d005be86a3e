import type { OpenEmergencyFromIncident } from './safety-emergency.commands';
import type { IncidentAtMeetingReported } from './safety-request.events';
import type { SafetyRequestState } from './safety-request.state';
import { refuse } from './safety.rules';

export const SAFETY_REQUEST_STREAM_PREFIX = 'safety-request-';
export const SAFETY_EMERGENCY_STREAM_PREFIX = 'safety-emergency-';

/** The stream of one preventive request; also the subject its personal values are sealed for. */
export function safetyRequestStreamName(requestId: string): string {
  return `${SAFETY_REQUEST_STREAM_PREFIX}${requestId}`;
}

/** The stream of one emergency record; also the subject its personal values are sealed for. */
export function safetyEmergencyStreamName(emergencyId: string): string {
  return `${SAFETY_EMERGENCY_STREAM_PREFIX}${emergencyId}`;
}

/** What only the person reporting the incident knows; the rest comes from the request and its outcome event. */
export type IncidentDetails = Pick<
  OpenEmergencyFromIncident,
  'startedAt' | 'colleaguesCalled' | 'colleaguesCount' | 'operationsCentreCalledAt' | 'location'
>;

/**
 * The command that opens the emergency record named by an `IncidentAtMeetingReported` event, for the stream
 * `safety-emergency-<emergencyId>`. Ids, unit, kind, actor and time are taken from the request and the event, so the
 * two streams cannot disagree on them.
 */
export function openEmergencyFromIncidentCommand(
  reported: IncidentAtMeetingReported,
  request: SafetyRequestState,
  details: IncidentDetails,
): OpenEmergencyFromIncident {
  if (!request.requestId || !request.unitId)
    return refuse('REQUEST_NOT_DRAFTED', 'The incident names no drafted request');
  const { emergencyId, incidentKind, actor, occurredAt } = reported.data;
  const { startedAt, colleaguesCalled, colleaguesCount, operationsCentreCalledAt, location } = details;
  return {
    type: 'OpenEmergencyFromIncident',
    emergencyId,
    requestId: request.requestId,
    unitId: request.unitId,
    kind: incidentKind,
    startedAt,
    colleaguesCalled,
    ...(colleaguesCount === undefined ? {} : { colleaguesCount }),
    ...(operationsCentreCalledAt === undefined ? {} : { operationsCentreCalledAt }),
    ...(location === undefined ? {} : { location }),
    actor,
    occurredAt,
  };
}
