import type { Sealed } from '../shared/sealed';
import type { LineId } from '../lines/line';
import type { HandoffConsent } from './case.events';
import {
  OPEN_REFERRAL_STATUSES,
  type CallbackAttemptOutcome,
  type CallbackResolution,
  type CaseOutcome,
  type CasePhase,
  type CounsellingPhase,
  type DeclineReason,
  type ReferralStatus,
  type ReferralWithdrawalReason,
  type RiskKind,
  type RiskLevel,
  type SessionMode,
  type SharedField,
} from './vocabularies';

export interface CallbackState {
  readonly callbackId: string;
  readonly requestedAt: string;
  readonly dueAt: string;
  readonly status: 'pending' | 'completed';
  readonly attempts: number;
  readonly lastAttemptOutcome: CallbackAttemptOutcome | null;
  readonly resolution: CallbackResolution | null;
  readonly completedAt: string | null;
  /** Null once discarded or erased: the number can no longer be dialled. */
  readonly number: Sealed | null;
  readonly nameOrAlias: Sealed | null;
  readonly numberDiscardedAt: string | null;
}

export interface ReferralState {
  readonly referralId: string;
  readonly serviceId: string;
  readonly status: ReferralStatus;
  readonly proposedAt: string;
  readonly sentAt: string | null;
  readonly acceptedAt: string | null;
  readonly declinedAt: string | null;
  readonly appointmentScheduledAt: string | null;
  /** When the caller is expected at the service. */
  readonly appointmentAt: string | null;
  readonly attendedAt: string | null;
  readonly missedAt: string | null;
  readonly takenIntoCareAt: string | null;
  readonly withdrawnAt: string | null;
  readonly expiredAt: string | null;
  readonly lastEscalatedAt: string | null;
  readonly escalations: number;
  readonly consent: HandoffConsent | null;
  readonly sharedFields: readonly SharedField[];
  readonly declineReason: DeclineReason | null;
  readonly suggestedServiceId: string | null;
  readonly withdrawalReason: ReferralWithdrawalReason | null;
}

export interface SessionState {
  readonly sessionId: string;
  readonly scheduledFor: string;
  readonly mode: SessionMode;
  readonly professionalId: string;
  readonly status: 'scheduled' | 'held' | 'missed';
}

export interface RiskState {
  /** The level of the latest assessment: a risk can go down as well as up. */
  readonly level: RiskLevel;
  readonly kinds: readonly RiskKind[];
  readonly flaggedAt: string;
}

export interface CaseState {
  readonly status: 'not_opened' | 'open' | 'closed';
  readonly caseId: string | null;
  readonly lineId: LineId | null;
  readonly openedAt: string | null;
  /** Where the case is now; `closed` while closed. Null before the first contact. */
  readonly phase: CasePhase | null;
  /** The furthest point of the counselling path ever reached; never goes back. */
  readonly furthestPhase: CounsellingPhase | null;
  /** Where a closed case resumes when reopened. */
  readonly phaseBeforeClosing: CounsellingPhase | null;
  readonly outcome: CaseOutcome | null;
  readonly closedAt: string | null;
  readonly contacts: number;
  readonly lastContactAt: string | null;
  readonly assignedOperatorId: string | null;
  readonly callbacks: Readonly<Record<string, CallbackState>>;
  readonly referrals: Readonly<Record<string, ReferralState>>;
  readonly sessions: Readonly<Record<string, SessionState>>;
  readonly risk: RiskState | null;
  readonly safetyEscalations: number;
  readonly takenInChargeByLine: boolean;
  /** The key every sealed value of this case must be sealed with (the first one seen). */
  readonly sealingKeyId: string | null;
  readonly personalDataErased: boolean;
  readonly erasedAt: string | null;
}

/** The entry of a record keyed by id, never one inherited from Object.prototype. */
export function entryOf<T>(record: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

export function isOpenReferral(referral: ReferralState): boolean {
  return (OPEN_REFERRAL_STATUSES as readonly ReferralStatus[]).includes(referral.status);
}

export function openReferrals(state: CaseState): ReferralState[] {
  return Object.values(state.referrals).filter(isOpenReferral);
}

export function pendingCallbacks(state: CaseState): CallbackState[] {
  return Object.values(state.callbacks).filter((callback) => callback.status === 'pending');
}

/**
 * The pending call-backs that can still be made: not when the number was discarded (a retention time, the
 * caller's request) or erased with the case's personal data. Read from the facts, not from the number itself,
 * which a read model that keeps nothing personal does not have.
 */
export function callbacksToMake(state: CaseState): CallbackState[] {
  if (state.personalDataErased) return [];
  return pendingCallbacks(state).filter((callback) => callback.numberDiscardedAt === null);
}
