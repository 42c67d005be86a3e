import { createHash } from 'node:crypto';
import type { CallbackResolution, CaseEvent, CounsellingPhase } from '@helpline/domain';
import { romeMonthOf } from './rome-months';

/*
 * The evaluation read model, row by row. Nothing personal is kept: no note, no number, no name. A case id is
 * kept to join a case's rows and never leaves the library; a caller pseudonym is kept only hashed again (see
 * `callerHash`), never as given.
 */

/** The counselling path in order, as evaluators count it: reaching a phase means reaching it or any later one. */
export const EVALUATION_PHASES = [
  'first_contact',
  'framing',
  'reframing',
  'goal',
  'orientation',
  'accompaniment',
] as const satisfies readonly CounsellingPhase[];
export type EvaluationPhase = (typeof EVALUATION_PHASES)[number];

/** The events that move a case along the path (the domain's own mapping, restated as an indicator definition). */
export const PHASE_OF_EVENT: Partial<Record<CaseEvent['type'], EvaluationPhase>> = {
  FirstContactRecorded: 'first_contact',
  RequestFramed: 'framing',
  ProblemReframed: 'reframing',
  GoalSet: 'goal',
  ReferralProposed: 'orientation',
  HandoffSent: 'accompaniment',
  TakenInChargeByLine: 'accompaniment',
  SessionScheduled: 'accompaniment',
  SessionHeld: 'accompaniment',
};

/** Which call-back resolutions recover an out-of-hours contact: the line reached the caller. */
export const RECOVERING_RESOLUTIONS: readonly CallbackResolution[] = ['caller_reached'];

export interface CaseRecord {
  case_id: string;
  line_id: string;
  opened_at: string;
  opened_month: string;
  caller_type: string;
  channel: string;
  age_band: string;
  gender: string;
  concern: string;
  heard_of_line: string;
  out_of_hours: boolean;
  furthest_phase: EvaluationPhase;
  framing_at: string | null;
  reframing_at: string | null;
  goal_at: string | null;
  orientation_at: string | null;
  accompaniment_at: string | null;
  first_proposed_at: string | null;
  first_sent_at: string | null;
  first_accepted_at: string | null;
  first_declined_at: string | null;
  first_care_at: string | null;
  /** `new` or `returning` once a call-back identified the caller; null while no call-back did. */
  caller_status: 'new' | 'returning' | null;
  /** The contact a call-back requested now would answer (the case's latest contact in the log). */
  last_contact_id: string;
}

export interface ContactRecord {
  contact_id: string;
  case_id: string;
  line_id: string;
  occurred_at: string;
  month: string;
  kind: 'first' | 'follow_up';
  channel: string;
  direction: 'inbound' | 'outbound';
  out_of_hours: boolean;
  caller_type: string;
  age_band: string;
  gender: string;
  concern: string;
  heard_of_line: string;
  /** When a call-back reached the caller this contact came from; null when none did (yet). */
  recovered_at: string | null;
}

export interface CallbackRecord {
  case_id: string;
  callback_id: string;
  contact_id: string;
  requested_at: string;
}

export interface ReferralRecord {
  case_id: string;
  referral_id: string;
  line_id: string;
  proposed_at: string;
  sent_at: string | null;
  accepted_at: string | null;
  declined_at: string | null;
  care_at: string | null;
}

export interface ClosingRecord {
  closing_id: string;
  case_id: string;
  line_id: string;
  closed_at: string;
  month: string;
  outcome: string;
}

/** One case of a recognised caller: a caller is known on a line while any of these rows remains. */
export interface CallerCaseRecord {
  caller_hash: string;
  line_id: string;
  case_id: string;
}

export const PHASE_COLUMNS: Record<Exclude<EvaluationPhase, 'first_contact'>, keyof CaseRecord> = {
  framing: 'framing_at',
  reframing: 'reframing_at',
  goal: 'goal_at',
  orientation: 'orientation_at',
  accompaniment: 'accompaniment_at',
};

export function phaseRank(phase: EvaluationPhase): number {
  return EVALUATION_PHASES.indexOf(phase);
}

/** The instant in read-model form (UTC, milliseconds). */
export function instant(iso: string): string {
  return new Date(iso).toISOString();
}

export function monthOf(iso: string): string {
  return romeMonthOf(iso);
}

/**
 * The pseudonym hashed again, per line: the keyed HMAC the domain records cannot be turned back into a number
 * without the secret, and this second hash cannot be matched against the events' pseudonyms either, so a copy
 * of the read model links nothing to the log.
 */
export function callerHash(lineId: string, pseudonym: string): string {
  return createHash('sha256').update(`helpline-evaluation\u0000${lineId}\u0000${pseudonym}`).digest('base64url');
}

/**
 * The case after one more phase event at `at`: every phase up to the event's is reached, at the earliest time
 * any event showed it reached. Earliest, not first recorded: an entry written late (a framing recorded after the
 * goal it preceded) moves the phase's time back, so the same events in any recording order give the same row.
 */
export function withPhase(record: CaseRecord, phase: EvaluationPhase, at: string): CaseRecord {
  const next = { ...record };
  for (const [name, column] of Object.entries(PHASE_COLUMNS) as Array<[EvaluationPhase, keyof CaseRecord]>) {
    if (phaseRank(name) <= phaseRank(phase))
      (next as Record<string, unknown>)[column] = earlier(next[column] as string | null, at);
  }
  if (phaseRank(phase) > phaseRank(record.furthest_phase)) next.furthest_phase = phase;
  return next;
}

/** The earlier of two read-model instants (UTC, same precision, so they compare as strings); either may be null. */
export function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}
