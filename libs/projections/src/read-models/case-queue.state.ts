import {
  addOpeningHours,
  evolve,
  findLine,
  initialState,
  openReferrals,
  callbacksToMake,
  type CaseEvent,
  type CasePhase,
  type CaseState,
  type CounsellingPhase,
  type RiskLevel,
} from '@helpline/domain';
import { eventInstant, later } from './read-model-values';

/**
 * Opening hours of the line after the last contact with the caller by which an operator should get back to a
 * caller whose goal or referral awaits news: two SostieniMi shifts (two days of its timetable), 16 real hours
 * on a line that never closes.
 */
export const FOLLOW_UP_AFTER_OPENING_HOURS = 16;

export const FOLLOW_UP_REASONS = ['session', 'referral', 'goal'] as const;
/** Why a follow-up is due: a scheduled session, an open referral, or a goal set with the caller. */
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

export const NEXT_ACTIONS = ['call_back', 'session', 'follow_up'] as const;
/** What the operator has to do next on the case: whichever of the call-back and the follow-up is due first. */
export type NextAction = (typeof NEXT_ACTIONS)[number];

/** Risk levels that put a case at the top of the queue. */
export const AT_RISK_LEVELS: readonly RiskLevel[] = ['high', 'imminent'];

/**
 * What the queue projection keeps per case (open or closed) between batches: the domain's own fold of the
 * events it reads, with every personal value taken out, plus the few times the queue needs and the domain does
 * not keep. Folding with the domain's `evolve` keeps the phase rules (phases out of order, a reopened case
 * resuming its phase) in one place.
 */
export interface QueueCaseState {
  readonly case: CaseState;
  readonly openedAt: string | null;
  readonly reopenedAt: string | null;
  /** The last contact that came from the caller (the first contact, inbound follow-up contacts). */
  readonly lastInboundContactAt: string | null;
  /** The last time the line spoke with the caller, in either direction (contacts, reached call-backs, sessions held). */
  readonly lastCallerContactAt: string | null;
  readonly goalSetAt: string | null;
  /** Safety escalations since the case was last closed (all of them while it never was). */
  readonly safetyEscalations: number;
  /** What the caller raised at the first contact (a vocabulary word, nothing personal). */
  readonly concern: string | null;
  /** How the last contact from the caller came in (phone, voicemail, chat…), and whether out of the line's hours. */
  readonly lastInboundChannel: string | null;
  readonly lastInboundOutOfHours: boolean;
}

export const initialQueueCaseState: QueueCaseState = Object.freeze({
  case: initialState,
  openedAt: null,
  reopenedAt: null,
  lastInboundContactAt: null,
  lastCallerContactAt: null,
  goalSetAt: null,
  safetyEscalations: 0,
  concern: null,
  lastInboundChannel: null,
  lastInboundOutOfHours: false,
});

/** The queue's state of a case after one more event. */
export function evolveQueueCase(state: QueueCaseState, event: CaseEvent): QueueCaseState {
  const at = eventInstant(event.data.occurredAt);
  const next: QueueCaseState = { ...state, case: withoutPersonalValues(evolve(state.case, event)) };
  switch (event.type) {
    case 'FirstContactRecorded':
      if (state.case.status !== 'not_opened') return next;
      return {
        ...next,
        openedAt: at,
        lastInboundContactAt: at,
        lastCallerContactAt: at,
        concern: event.data.concern,
        lastInboundChannel: event.data.channel,
        lastInboundOutOfHours: event.data.outOfHours,
      };
    case 'FollowUpContactRecorded':
      return {
        ...next,
        ...(event.data.direction === 'inbound' &&
        (state.lastInboundContactAt === null || at >= state.lastInboundContactAt)
          ? { lastInboundChannel: event.data.channel, lastInboundOutOfHours: event.data.outOfHours }
          : {}),
        lastCallerContactAt: later(state.lastCallerContactAt, at),
        lastInboundContactAt:
          event.data.direction === 'inbound' ? later(state.lastInboundContactAt, at) : state.lastInboundContactAt,
      };
    case 'CallbackAttempted':
      return event.data.outcome === 'reached'
        ? { ...next, lastCallerContactAt: later(state.lastCallerContactAt, at) }
        : next;
    case 'CallbackCompleted':
      return event.data.resolution === 'caller_reached'
        ? { ...next, lastCallerContactAt: later(state.lastCallerContactAt, at) }
        : next;
    case 'SessionHeld':
      return { ...next, lastCallerContactAt: later(state.lastCallerContactAt, at) };
    case 'GoalSet':
      return { ...next, goalSetAt: later(state.goalSetAt, at) };
    case 'SafetyEscalated':
      return { ...next, safetyEscalations: state.safetyEscalations + 1 };
    case 'CaseClosed':
      return { ...next, safetyEscalations: 0 };
    case 'CaseReopened':
      return { ...next, reopenedAt: at };
    default:
      return next;
  }
}

/** No number, name, pseudonym or key id is kept, not even sealed: the queue needs none of them. */
function withoutPersonalValues(state: CaseState): CaseState {
  return {
    ...state,
    sealingKeyId: null,
    callbacks: Object.fromEntries(
      Object.entries(state.callbacks).map(([id, callback]) => [id, { ...callback, number: null, nameOrAlias: null }]),
    ),
  };
}

/** A row of the operator queue, as stored (column names). Times are read-model instants. */
export interface CaseQueueRecord {
  case_id: string;
  line_id: string;
  phase: CasePhase;
  furthest_phase: CounsellingPhase | null;
  assigned_operator_id: string | null;
  risk_level: RiskLevel | null;
  at_risk: boolean;
  safety_escalations: number;
  opened_at: string;
  reopened_at: string | null;
  last_inbound_contact_at: string;
  waiting_since: string;
  pending_callbacks: number;
  callback_due_at: string | null;
  followup_due_at: string | null;
  followup_reason: FollowUpReason | null;
  next_action: NextAction | null;
  next_action_due_at: string | null;
  open_referrals: number;
  concern: string | null;
  channel: string | null;
  out_of_hours: boolean;
}

/** The case's row in the operator queue, or null when it has no place there (not opened, or closed). */
export function queueRecordOf(caseId: string, state: QueueCaseState): CaseQueueRecord | null {
  const { case: current } = state;
  if (current.status !== 'open' || current.lineId === null || current.phase === null || state.openedAt === null)
    return null;
  const lastInbound = state.lastInboundContactAt ?? state.openedAt;
  const pending = callbacksToMake(current);
  const callbackDueAt = pending.map((callback) => eventInstant(callback.dueAt)).sort()[0] ?? null;
  const followUp = followUpOf(state);
  const nextAction: { action: NextAction; dueAt: string } | null =
    callbackDueAt !== null && (followUp === null || callbackDueAt <= followUp.dueAt)
      ? { action: 'call_back', dueAt: callbackDueAt }
      : followUp !== null
        ? { action: followUp.reason === 'session' ? 'session' : 'follow_up', dueAt: followUp.dueAt }
        : null;
  const riskLevel = current.risk?.level ?? null;
  return {
    case_id: caseId,
    line_id: current.lineId,
    phase: current.phase,
    furthest_phase: current.furthestPhase,
    assigned_operator_id: current.assignedOperatorId,
    risk_level: riskLevel,
    at_risk: (riskLevel !== null && AT_RISK_LEVELS.includes(riskLevel)) || state.safetyEscalations > 0,
    safety_escalations: state.safetyEscalations,
    opened_at: state.openedAt,
    reopened_at: state.reopenedAt,
    last_inbound_contact_at: lastInbound,
    waiting_since: later(lastInbound, state.reopenedAt ?? state.openedAt)!,
    pending_callbacks: pending.length,
    callback_due_at: callbackDueAt,
    followup_due_at: followUp?.dueAt ?? null,
    followup_reason: followUp?.reason ?? null,
    next_action: nextAction?.action ?? null,
    next_action_due_at: nextAction?.dueAt ?? null,
    open_referrals: openReferrals(current).length,
    concern: state.concern ?? null,
    channel: state.lastInboundChannel ?? null,
    out_of_hours: state.lastInboundOutOfHours ?? false,
  };
}

/**
 * When the operator should next get back to the caller, and why; null when nothing awaits news.
 * - A scheduled session (not yet held or missed) is due at its time.
 * - A goal set with the caller, or a referral still open (proposed, sent, accepted, appointment set, attended),
 *   awaits news: a follow-up is due FOLLOW_UP_AFTER_OPENING_HOURS opening hours of the line after the latest
 *   of the last contact with the caller, the goal, the last step of an open referral, and the time of an
 *   appointment set with a service (ask how it went). Any new contact moves it forward.
 * The earlier of the two wins.
 */
export function followUpOf(state: QueueCaseState): { dueAt: string; reason: FollowUpReason } | null {
  const { case: current } = state;
  const session = Object.values(current.sessions)
    .filter((candidate) => candidate.status === 'scheduled')
    .map((candidate) => eventInstant(candidate.scheduledFor))
    .sort()[0];
  const referrals = openReferrals(current);
  let awaiting: { dueAt: string; reason: FollowUpReason } | null = null;
  if (referrals.length > 0 || state.goalSetAt !== null) {
    let anchor = later(state.lastCallerContactAt, state.goalSetAt);
    for (const referral of referrals) {
      const steps = [
        referral.proposedAt,
        referral.sentAt,
        referral.acceptedAt,
        referral.appointmentScheduledAt,
        referral.attendedAt,
        referral.appointmentAt,
      ];
      for (const step of steps) if (step !== null) anchor = later(anchor, eventInstant(step));
    }
    if (anchor !== null)
      awaiting = {
        dueAt: followUpDueAfter(current.lineId, anchor),
        reason: referrals.length > 0 ? 'referral' : 'goal',
      };
  }
  if (session !== undefined && (awaiting === null || session <= awaiting.dueAt))
    return { dueAt: session, reason: 'session' };
  return awaiting;
}

function followUpDueAfter(lineId: string | null, anchor: string): string {
  const line = findLine(lineId);
  // A line no longer configured: count plain hours rather than fail the projection.
  if (!line) return new Date(Date.parse(anchor) + FOLLOW_UP_AFTER_OPENING_HOURS * 3_600_000).toISOString();
  return eventInstant(addOpeningHours(line, anchor, FOLLOW_UP_AFTER_OPENING_HOURS));
}
