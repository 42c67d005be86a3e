/**
 * Closed vocabularies of the safety protocol between the social services and the local police (seed 002). Each is
 * a const array (for validation at the edges, e.g. `@IsIn(SAFETY_ROLES)`) and the union type derived from it.
 */

/**
 * Who takes part in the protocol.
 * - `social_worker`: a social worker of a territorial social service unit;
 * - `unit_officer`: the unit's responsible officer (Funzionario P.O.), the only one who may send a request to the police;
 * - `police_liaison`: the police command's liaison, who receives requests, answers them and files patrol reports;
 * - `police_operations`: the operations centre (Centrale Operativa), which sends patrols and alerts other forces;
 * - `area_director`: the social-policies area director, who receives a copy of each request and reads the figures.
 */
export const SAFETY_ROLES = [
  'social_worker',
  'unit_officer',
  'police_liaison',
  'police_operations',
  'area_director',
] as const;
export type SafetyRole = (typeof SAFETY_ROLES)[number];

/** Roles that belong to one territorial unit and may act only on that unit's requests and emergencies. */
export const UNIT_ROLES = ['social_worker', 'unit_officer'] as const satisfies readonly SafetyRole[];
export type UnitRole = (typeof UNIT_ROLES)[number];

/** The risk the unit assessed before the meeting. */
export const SAFETY_RISK_LEVELS = ['low', 'moderate', 'high'] as const;
export type SafetyRiskLevel = (typeof SAFETY_RISK_LEVELS)[number];

/** The violent events the guidelines name: verbal or physical aggression, threat, damage. */
export const INCIDENT_KINDS = ['verbal_aggression', 'physical_aggression', 'threat', 'damage'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** How a meeting under a request went. */
export const MEETING_OUTCOMES = ['no_incident', 'incident'] as const;
export type MeetingOutcome = (typeof MEETING_OUTCOMES)[number];

export const POLICE_DECLINE_REASONS = [
  'no_officers_available',
  'insufficient_notice',
  'insufficient_information',
  'risk_not_confirmed',
  'outside_police_remit',
  'other',
] as const;
export type PoliceDeclineReason = (typeof POLICE_DECLINE_REASONS)[number];

export const SAFETY_REQUEST_CANCELLATION_REASONS = [
  'meeting_cancelled',
  'meeting_rescheduled',
  'risk_reassessed',
  'drafted_in_error',
  'other',
] as const;
export type SafetyRequestCancellationReason = (typeof SAFETY_REQUEST_CANCELLATION_REASONS)[number];

/** Forces the operations centre may alert besides (or instead of) its own patrol. */
export const POLICE_FORCES = ['carabinieri', 'state_police', 'ambulance_118', 'fire_brigade'] as const;
export type PoliceForce = (typeof POLICE_FORCES)[number];

/** What the police command shared with the social-policies directorate from a patrol's report; `none` stands alone. */
export const DIRECTORATE_SHARED_ITEMS = ['report_summary', 'officers_involved', 'follow_up_actions', 'none'] as const;
export type DirectorateSharedItem = (typeof DIRECTORATE_SHARED_ITEMS)[number];

export const SAFETY_REQUEST_STATUSES = ['not_drafted', 'draft', 'sent', 'cancelled', 'concluded'] as const;
export type SafetyRequestStatus = (typeof SAFETY_REQUEST_STATUSES)[number];

export const SAFETY_EMERGENCY_STATUSES = ['not_recorded', 'in_progress', 'closed'] as const;
export type SafetyEmergencyStatus = (typeof SAFETY_EMERGENCY_STATUSES)[number];

/**
 * Why a record's personal values were erased: the person's own request (the right to erasure), the end of the
 * time the protocol keeps them, or another lawful ground the area director records.
 */
export const SAFETY_ERASURE_REASONS = ['data_subject_request', 'retention_policy', 'other'] as const;
export type SafetyErasureReason = (typeof SAFETY_ERASURE_REASONS)[number];
