import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type RequestView = Schemas['SafetyRequestView'];
export type EmergencyView = Schemas['SafetyEmergencyView'];
export type RegisterItem = Schemas['SafetyRegisterItem'];
export type Risk = Schemas['DraftSafetyRequestDto']['risk'];
export type IncidentKind = Schemas['RecordEmergencyInProgressDto']['kind'];
export type DeclineReason = Schemas['DeclinePolicePresenceDto']['reason'];
export type CancellationReason = Schemas['CancelSafetyRequestDto']['reason'];
export type Force = Schemas['RecordOtherForcesAlertedDto']['forces'][number];
export type Shared = Schemas['RecordPatrolReportDto']['sharedWithDirectorate'][number];

export const RISKS = ['low', 'moderate', 'high'] as const satisfies readonly Risk[];
export const INCIDENT_KINDS = [
  'verbal_aggression',
  'physical_aggression',
  'threat',
  'damage',
] as const satisfies readonly IncidentKind[];
export const DECLINE_REASONS = [
  'no_officers_available',
  'insufficient_notice',
  'insufficient_information',
  'risk_not_confirmed',
  'outside_police_remit',
  'other',
] as const satisfies readonly DeclineReason[];
export const CANCELLATION_REASONS = [
  'meeting_cancelled',
  'meeting_rescheduled',
  'risk_reassessed',
  'drafted_in_error',
  'other',
] as const satisfies readonly CancellationReason[];
export const FORCES = [
  'carabinieri',
  'state_police',
  'ambulance_118',
  'fire_brigade',
] as const satisfies readonly Force[];
export const SHARED = [
  'report_summary',
  'officers_involved',
  'follow_up_actions',
  'none',
] as const satisfies readonly Shared[];

/**
 * Who may take each step of the protocol, as the API's routes admit them (the domain's SAFETY_REQUEST_COMMAND_ROLES
 * and SAFETY_EMERGENCY_COMMAND_ROLES, which the browser cannot import): a role sees the forms of its own steps only.
 * Should the two drift, the API still refuses (403) and the refusal shows under the form.
 */
const UNIT = ['social_worker', 'unit_officer'];
export const STEP_ROLES = {
  draft: UNIT,
  editDraft: UNIT,
  send: ['unit_officer'],
  acknowledge: ['police_liaison'],
  requestInformation: ['police_liaison'],
  provideInformation: UNIT,
  confirmPresence: ['police_liaison'],
  declinePresence: ['police_liaison'],
  meetingOutcome: UNIT,
  cancel: UNIT,
  recordEmergency: UNIT,
  operationsCentreCall: UNIT,
  patrolDispatch: ['police_operations'],
  otherForces: ['police_operations'],
  patrolArrival: ['police_operations'],
  patrolReport: ['police_liaison'],
  closeEmergency: [...UNIT, 'police_liaison'],
} as const satisfies Record<string, readonly string[]>;
export type Step = keyof typeof STEP_ROLES;

export function mayTake(role: string, step: Step): boolean {
  return (STEP_ROLES[step] as readonly string[]).includes(role);
}

/** The version the record was read at, as If-Match: a step taken on a stale screen is refused (409), not applied. */
export function ifMatch(version: number) {
  return { 'If-Match': `"${version}"` };
}

/**
 * One step on a record as a mutation: on success the record and the register are read again, the register waiting
 * for the step's log position (read-your-writes).
 */
export function useStep<Input>(run: (input: Input) => Promise<{ position: string }>, onPosition?: (p: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (answer) => {
      onPosition?.(answer.position);
      await client.invalidateQueries({ queryKey: ['safety'] });
    },
  });
}
