import type {
  IncidentKind,
  MeetingOutcome,
  PoliceDeclineReason,
  SafetyRequestCancellationReason,
  SafetyRequestStatus,
  SafetyRiskLevel,
} from './vocabularies';

/** The police's one answer to a request: presence confirmed or declined, never both. */
export type PoliceAnswer =
  | { readonly kind: 'confirmed'; readonly officers: number; readonly presentFrom: string; readonly answeredAt: string }
  | { readonly kind: 'declined'; readonly reason: PoliceDeclineReason; readonly answeredAt: string };

/**
 * What the decider needs to know about a request. The sealed values (address, service user, facts, questions and
 * answers) stay in the events: read models that may show them decrypt them there.
 */
export interface SafetyRequestState {
  /** `concluded` once the meeting's outcome is recorded. */
  readonly status: SafetyRequestStatus;
  readonly requestId: string | null;
  readonly unitId: string | null;
  readonly meetingAt: string | null;
  readonly risk: SafetyRiskLevel | null;
  readonly draftedAt: string | null;
  readonly sentAt: string | null;
  readonly noticeMinutes: number | null;
  readonly late: boolean | null;
  readonly acknowledgedAt: string | null;
  readonly informationRequests: number;
  /** A question of the police still waiting for the unit's answer. */
  readonly informationPending: boolean;
  readonly answer: PoliceAnswer | null;
  readonly outcome: MeetingOutcome | null;
  readonly incidentKind: IncidentKind | null;
  readonly emergencyId: string | null;
  readonly outcomeRecordedAt: string | null;
  readonly cancelledAt: string | null;
  readonly cancellationReason: SafetyRequestCancellationReason | null;
  /** When the area director erased its personal values (its key destroyed); null while they are kept. */
  readonly personalDataErasedAt: string | null;
  /** The key every sealed value of this request must be sealed with (the first one seen). */
  readonly sealingKeyId: string | null;
}
