import { EVALUATION_PHASES, type EvaluationPhase } from '../evaluation.records';
import { DAY_MS } from '../rome-months';
import { COHORT_HORIZONS, PHASE_PROGRESS, REFERRAL_PROGRESS } from './report.model';

/** What the indicators need to know of a case opened in the period: times only, no content. */
export interface CaseFacts {
  readonly openedMonth: string;
  readonly openedAt: string;
  readonly furthestPhase: EvaluationPhase;
  readonly phaseAt: Readonly<Record<Exclude<EvaluationPhase, 'first_contact'>, string | null>>;
  readonly firstProposedAt: string | null;
  readonly firstSentAt: string | null;
  readonly firstAcceptedAt: string | null;
  readonly firstDeclinedAt: string | null;
  readonly firstCareAt: string | null;
  readonly callerStatus: 'new' | 'returning' | null;
}

/** One month's cohort: its size and, for each horizon, how many of its cases stood at each phase and referral status. */
export interface CohortCounts {
  readonly size: number;
  /** One row per PHASE_PROGRESS entry, one column per COHORT_HORIZONS entry. */
  readonly phases: readonly (readonly number[])[];
  /** One row per REFERRAL_PROGRESS entry, one column per COHORT_HORIZONS entry. */
  readonly referrals: readonly (readonly number[])[];
}

/**
 * The cases opened in a period, counted: everything the report needs of them, so that its size does not grow
 * with the number of cases. EvaluationQueries computes these in SQL; `countCases` is the same definition over
 * the cases one by one (the tests hold the two equal).
 */
export interface CaseCounts {
  /** Cases by caller status, `not_identified` for those no call-back identified. */
  readonly byCallerStatus: ReadonlyMap<string, number>;
  readonly byFurthestPhase: ReadonlyMap<string, number>;
  /** By the month the cases were opened in; a month without cases has no entry. */
  readonly cohorts: ReadonlyMap<string, CohortCounts>;
}

/** What a median needs of a list of values: how many there are and the middle one (odd) or two (even), in order. */
export interface MedianSample {
  readonly n: number;
  readonly middle: readonly number[];
}

export const NO_CASES: CaseCounts = { byCallerStatus: new Map(), byFurthestPhase: new Map(), cohorts: new Map() };

export function emptyCohort(): { size: number; phases: number[][]; referrals: number[][] } {
  return {
    size: 0,
    phases: PHASE_PROGRESS.map(() => COHORT_HORIZONS.map(() => 0)),
    referrals: REFERRAL_PROGRESS.map(() => COHORT_HORIZONS.map(() => 0)),
  };
}

/** The counts of a list of cases, one by one: the definition the SQL of EvaluationQueries follows. */
export function countCases(cases: readonly CaseFacts[]): CaseCounts {
  const byCallerStatus = new Map<string, number>();
  const byFurthestPhase = new Map<string, number>();
  const cohorts = new Map<string, ReturnType<typeof emptyCohort>>();
  const add = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const facts of cases) {
    add(byCallerStatus, facts.callerStatus ?? 'not_identified');
    add(byFurthestPhase, facts.furthestPhase);
    const cohort = cohorts.get(facts.openedMonth) ?? emptyCohort();
    cohorts.set(facts.openedMonth, cohort);
    cohort.size++;
    COHORT_HORIZONS.forEach((horizon, column) => {
      const cutOff = Date.parse(facts.openedAt) + horizon * DAY_MS;
      cohort.phases[PHASE_PROGRESS.indexOf(phaseBy(facts, cutOff))]![column]!++;
      cohort.referrals[REFERRAL_PROGRESS.indexOf(referralBy(facts, cutOff))]![column]!++;
    });
  }
  return { byCallerStatus, byFurthestPhase, cohorts };
}

/** The median's sample of values sorted in ascending order. */
export function medianSampleOf(sorted: readonly number[]): MedianSample {
  const n = sorted.length;
  const middle = Math.floor(n / 2);
  return { n, middle: n === 0 ? [] : n % 2 === 1 ? [sorted[middle]!] : [sorted[middle - 1]!, sorted[middle]!] };
}

/** The furthest phase a case had reached by the cut-off (milliseconds). */
export function phaseBy(facts: CaseFacts, cutOff: number): EvaluationPhase {
  let furthest: EvaluationPhase = 'first_contact';
  for (const phase of EVALUATION_PHASES) {
    if (phase === 'first_contact') continue;
    const at = facts.phaseAt[phase];
    if (at !== null && Date.parse(at) <= cutOff) furthest = phase;
  }
  return furthest;
}

/** Where a case's referrals stood by the cut-off, as the furthest step any of them reached. */
export function referralBy(facts: CaseFacts, cutOff: number): (typeof REFERRAL_PROGRESS)[number] {
  const by = (at: string | null) => at !== null && Date.parse(at) <= cutOff;
  if (by(facts.firstCareAt)) return 'taken_into_care';
  if (by(facts.firstAcceptedAt)) return 'accepted';
  if (by(facts.firstDeclinedAt)) return 'declined';
  if (by(facts.firstSentAt)) return 'sent';
  if (by(facts.firstProposedAt)) return 'proposed';
  return 'no_referral';
}
