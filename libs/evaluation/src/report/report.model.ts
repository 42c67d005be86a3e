/**
 * The evaluation report, as JSON gives it. Every other format (CSV, HTML) is rendered from this object, so all
 * formats always say the same. Figures are whole numbers; `null` is a suppressed figure (evaluators' reports)
 * or one that cannot be computed (a rate without a denominator, a median of nothing).
 */

/** `line`: the line's own monthly report, full figures (supervisors, administrators). `evaluator`: aggregates with small cells suppressed. */
export type ReportAudience = 'line' | 'evaluator';

export type Figure = number | null;

export const REPORT_FORMAT_VERSION = 2;

export interface EvaluationReport {
  readonly kind: 'helpline-evaluation-report';
  readonly formatVersion: number;
  /** The projection (and its version) the figures were built with: a change of definition is a new version. */
  readonly definitions: { readonly projection: string; readonly version: number };
  readonly audience: ReportAudience;
  readonly timeZone: string;
  readonly period: { readonly from: string; readonly to: string; readonly months: readonly string[] };
  /** The cut-off of an as-of replay (events that occurred up to this instant); null for the live read model. */
  readonly asOf: string | null;
  /**
   * The state of the log the figures were built from: the events up to `position` (`commit:prepare`, as the
   * event store writes positions), the last of them recorded at `recordedAt` (null for an empty log). A replay
   * given the same position and options reproduces the report byte for byte.
   */
  readonly log: ReportLogState;
  /** Present on evaluators' reports: the rule, and how many figures it hid. */
  readonly suppression: SuppressionNote | null;
  readonly lines: readonly LineReport[];
}

export interface ReportLogState {
  readonly position: string;
  readonly recordedAt: string | null;
}

export interface SuppressionNote {
  readonly threshold: number;
  readonly method: 'primary-and-complementary';
  readonly suppressedCells: number;
}

export type TableId =
  | 'contacts_by_month'
  | 'contacts_by_caller_type'
  | 'contacts_by_channel'
  | 'contacts_by_age_band'
  | 'contacts_by_gender'
  | 'contacts_by_concern'
  | 'contacts_by_heard_of_line'
  | 'contacts_by_hours'
  | 'cases_by_caller'
  | 'cases_by_furthest_phase'
  | 'referral_steps'
  | 'closings_by_outcome';

export interface ReportTable {
  readonly id: TableId;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly cells: readonly (readonly Figure[])[];
  readonly rowTotals: readonly Figure[] | null;
  readonly columnTotals: readonly Figure[] | null;
  readonly total: Figure;
  readonly suppressedCells: number;
}

export type IndicatorId =
  | 'handoff_acceptance_rate'
  | 'out_of_hours_recovery_rate'
  | 'median_days_to_handoff_accepted'
  | 'median_days_to_taken_into_care';

export interface ReportIndicator {
  readonly id: IndicatorId;
  /** A rate between 0 and 1 (4 decimals) or a number of days (1 decimal). */
  readonly value: Figure;
  /** How many it is computed over (handoffs answered, out-of-hours contacts, cases). */
  readonly n: Figure;
}

export const COHORT_HORIZONS = [30, 60, 90] as const;
export type CohortHorizon = (typeof COHORT_HORIZONS)[number];

export const PHASE_PROGRESS = [
  'first_contact',
  'framing',
  'reframing',
  'goal',
  'orientation',
  'accompaniment',
] as const;
/** A case's referrals by a horizon, as one status: the furthest step any of them reached (declined ranks below accepted). */
export const REFERRAL_PROGRESS = [
  'no_referral',
  'proposed',
  'sent',
  'declined',
  'accepted',
  'taken_into_care',
] as const;
export const PHASES_REACHED = ['framing', 'reframing', 'goal', 'orientation', 'accompaniment'] as const;
export const REFERRAL_STEPS_REACHED = ['proposed', 'sent', 'accepted', 'declined', 'taken_into_care'] as const;

/**
 * The cases first opened in one month, followed 30, 60 and 90 days from each one's first contact.
 * `phases` and `referrals` are partitions of the cohort (where each case stands by each horizon): the published
 * figures. `reached` gives the cumulative counts (reached the phase or step, or further, within the horizon),
 * derived from the partitions; on an evaluator's report a cumulative count is given only when the published
 * cells of the partition determine it.
 */
export interface CohortReport {
  readonly month: string;
  readonly size: Figure;
  readonly horizons: readonly CohortHorizon[];
  /** Whether each horizon had fully elapsed for every case of the cohort at the report's date. */
  readonly complete: readonly boolean[];
  readonly phases: { readonly rows: readonly string[]; readonly cells: readonly (readonly Figure[])[] };
  readonly referrals: { readonly rows: readonly string[]; readonly cells: readonly (readonly Figure[])[] };
  readonly reached: {
    readonly phases: { readonly rows: readonly string[]; readonly cells: readonly (readonly Figure[])[] };
    /** `declined` counts cases with a declined handoff and none accepted by then. */
    readonly referrals: { readonly rows: readonly string[]; readonly cells: readonly (readonly Figure[])[] };
  };
  readonly suppressedCells: number;
}

export interface LineReport {
  readonly lineId: string;
  readonly name: string;
  readonly headline: { readonly contacts: Figure; readonly firstContacts: Figure; readonly followUpContacts: Figure };
  readonly tables: readonly ReportTable[];
  readonly indicators: readonly ReportIndicator[];
  readonly cohorts: readonly CohortReport[];
  readonly suppressedCells: number;
}
