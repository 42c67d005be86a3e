/**
 * What the routes the console reads answer, written here while the API documents most answers by example only
 * (their generated types make every member optional). One file, so that they can be swapped for the generated
 * `components['schemas'][…]` types once the routes document their response schemas.
 */

export interface Me {
  id: string;
  role: string;
  roles?: string[];
  lines: string[];
  serviceId?: string;
  unitId?: string;
}

export interface DemoIdentity {
  id: string;
  label: string;
  role: string;
  lines: string[];
  serviceId?: string;
  unitId?: string;
}

export interface CommandAnswer {
  caseId: string;
  version: number;
  position: string;
  events: Array<{ type: string; version: number; referralId?: string; callbackId?: string; sessionId?: string }>;
}

export interface QueueItem {
  caseId: string;
  lineId: string;
  phase: string;
  assignedOperatorId: string | null;
  riskLevel: string | null;
  atRisk: boolean;
  waitingSince: string;
  pendingCallbacks: number;
  callbackDueAt: string | null;
  nextAction: string | null;
  concern: string | null;
  channel: string | null;
  outOfHours: boolean;
  priority: number;
  callbackOverdue: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
  caughtUp?: boolean;
  now?: string;
}

export interface ReferralView {
  referralId: string;
  serviceId: string;
  status: string;
  proposedAt: string;
  sentAt: string | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  appointmentAt: string | null;
  attendedAt: string | null;
  missedAt: string | null;
  takenIntoCareAt: string | null;
  withdrawnAt: string | null;
}

export interface CallbackView {
  callbackId: string;
  requestedAt: string;
  dueAt: string;
  status: string;
  attempts: number;
  resolution: string | null;
  completedAt: string | null;
  numberKept: boolean;
}

export interface SessionView {
  sessionId: string;
  scheduledFor: string;
  mode: string;
  professionalId: string;
  status: string;
}

export interface CaseView {
  caseId: string;
  reference: string;
  version: number;
  lineId: string;
  status: 'open' | 'closed';
  phase: string;
  furthestPhase: string;
  openedAt: string;
  closedAt: string | null;
  outcome: string | null;
  contacts: number;
  assignedOperatorId: string | null;
  risk: { level: string; kinds: string[]; flaggedAt: string } | null;
  callbacks: CallbackView[];
  referrals: ReferralView[];
  sessions: SessionView[];
  personalDataErased: boolean;
}

export interface OpenedValue {
  value: string | null;
  erased: boolean;
}

export interface HistoryEvent {
  version: number;
  type: string;
  occurredAt: string;
  actor: { id: string; role: string } | null;
  data: Record<string, unknown>;
}

export interface CaseHistory {
  caseId: string;
  version: number;
  events: HistoryEvent[];
}

export interface DirectoryService {
  id: string;
  name: string;
  serviceType: string;
  status: string;
  areas: string[];
  openNow?: boolean;
  version: number;
  organization?: { id: string; name: string };
}

export interface Handoff {
  caseId: string;
  referralId: string;
  serviceId: string;
  lineId: string;
  status: string;
  sentAt: string;
  acceptedAt: string | null;
  appointmentAt: string | null;
  escalations: number;
  consentMethod: string;
  sharedFields: string[];
  shared: {
    ageBand?: string;
    gender?: string;
    concern?: string;
    callbackNumber?: OpenedValue;
    firstNameAlias?: OpenedValue;
    summaryNote?: OpenedValue;
  };
  personalValuesWithheld: boolean;
}

export interface PipelineReferral {
  caseId: string;
  referralId: string;
  serviceId: string;
  status: string;
  proposedAt: string;
  sentAt: string | null;
  acceptedAt: string | null;
}

export interface AccessLogEntry {
  id: number;
  caseId: string;
  actorId: string;
  actorRole: string;
  what: string;
  accessedAt: string;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  status: string;
  position: string;
  lagEvents: number;
  rebuilding: boolean;
  error: string | null;
}
