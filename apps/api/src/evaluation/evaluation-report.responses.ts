import { COHORT_HORIZONS } from '@helpline/evaluation';
import {
  boolean,
  instant,
  integer,
  listOf,
  month,
  named,
  nullable,
  number,
  object,
  oneOf,
  text,
} from '../common/response-schema';

/** A published count: null where it is suppressed (evaluators' reports) or cannot be computed. */
const FIGURE = nullable(integer());
const GRID = object({ rows: listOf(text()), cells: listOf(listOf(FIGURE)) });

const TABLE_IDS = [
  'contacts_by_month',
  'contacts_by_caller_type',
  'contacts_by_channel',
  'contacts_by_age_band',
  'contacts_by_gender',
  'contacts_by_concern',
  'contacts_by_heard_of_line',
  'contacts_by_hours',
  'cases_by_caller',
  'cases_by_furthest_phase',
  'referral_steps',
  'closings_by_outcome',
] as const;
const INDICATOR_IDS = [
  'handoff_acceptance_rate',
  'out_of_hours_recovery_rate',
  'median_days_to_handoff_accepted',
  'median_days_to_taken_into_care',
] as const;

/** The evaluation report as JSON gives it (libs/evaluation/src/report/report.model.ts); CSV and HTML render it. */
export const EVALUATION_REPORT = named(
  'EvaluationReport',
  object({
    kind: oneOf(['helpline-evaluation-report']),
    formatVersion: integer(),
    definitions: object({ projection: text(), version: integer() }),
    audience: oneOf(['line', 'evaluator'], "line: the line's full monthly report; evaluator: small cells suppressed"),
    timeZone: text(),
    period: object({ from: month(), to: month(), months: listOf(month()) }),
    asOf: nullable(instant('The cut-off of an as-of replay; null for the live read model')),
    log: object({
      position: text(
        'The log position the figures were built from (commit:prepare); pass as upToPosition to reproduce',
      ),
      recordedAt: nullable(instant('When the last event up to that position was recorded; null for an empty log')),
    }),
    suppression: nullable(
      object({
        threshold: integer(),
        method: oneOf(['primary-and-complementary']),
        suppressedCells: integer(),
      }),
    ),
    lines: listOf(
      named(
        'EvaluationLineReport',
        object({
          lineId: text(),
          name: text(),
          headline: object({ contacts: FIGURE, firstContacts: FIGURE, followUpContacts: FIGURE }),
          tables: listOf(
            object({
              id: oneOf(TABLE_IDS),
              rows: listOf(text()),
              columns: listOf(text()),
              cells: listOf(listOf(FIGURE)),
              rowTotals: nullable(listOf(FIGURE)),
              columnTotals: nullable(listOf(FIGURE)),
              total: FIGURE,
              suppressedCells: integer(),
            }),
          ),
          indicators: listOf(
            object({
              id: oneOf(INDICATOR_IDS),
              value: nullable(number('A rate between 0 and 1 (4 decimals) or a number of days (1 decimal)')),
              n: FIGURE,
            }),
          ),
          cohorts: listOf(
            object({
              month: month(),
              size: FIGURE,
              horizons: listOf({ type: 'integer', enum: [...COHORT_HORIZONS] }),
              complete: listOf(boolean()),
              phases: GRID,
              referrals: GRID,
              reached: object({ phases: GRID, referrals: GRID }),
              suppressedCells: integer(),
            }),
          ),
          suppressedCells: integer(),
        }),
      ),
    ),
  }),
);
