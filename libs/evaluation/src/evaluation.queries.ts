import { sql } from 'kysely';
import type { AnyKysely } from '@helpline/database';
import type { TableNames } from '@helpline/projections';
import { liveTables } from '@helpline/projections';
import { evaluationProjection, EvaluationTable } from './evaluation.projection';
import { EVALUATION_PHASES, PHASE_COLUMNS } from './evaluation.records';
import { DAY_MS, monthEnd, monthStart } from './rome-months';
import { formatPosition, START_OF_LOG } from '@helpline/event-store';
import { COHORT_HORIZONS, PHASE_PROGRESS, REFERRAL_PROGRESS, type ReportLogState } from './report/report.model';
import { emptyCohort, type CaseCounts, type MedianSample } from './report/case-counts';

/** One group of contacts: how many contacts share all these values in the month. */
export interface ContactGroup {
  readonly month: string;
  readonly kind: 'first' | 'follow_up';
  readonly callerType: string;
  readonly channel: string;
  readonly ageBand: string;
  readonly gender: string;
  readonly concern: string;
  readonly heardOfLine: string;
  /** In the line's hours, out of hours and recovered by a call-back, or out of hours and not (yet) recovered. */
  readonly hours: 'in_hours' | 'out_of_hours_recovered' | 'out_of_hours_not_recovered';
  readonly count: number;
}

/** A row of the grouped contacts query; the tables are named at run time, so kysely cannot type it. */
interface ContactRow {
  readonly month: string;
  readonly kind: ContactGroup['kind'];
  readonly caller_type: string;
  readonly channel: string;
  readonly age_band: string;
  readonly gender: string;
  readonly concern: string;
  readonly heard_of_line: string;
  readonly out_of_hours: boolean;
  readonly recovered: boolean;
  readonly count: number;
}

export interface ReferralStepCounts {
  readonly proposed: number;
  readonly sent: number;
  readonly accepted: number;
  readonly declined: number;
  readonly taken_into_care: number;
}

/** The raw figures of one line for a period of Rome months: every report is computed from these. */
export interface LineFigures {
  readonly lineId: string;
  readonly months: readonly string[];
  readonly contacts: readonly ContactGroup[];
  /** The cases opened in the period, counted (never one row per case: a year of a large line is many). */
  readonly cases: CaseCounts;
  readonly referralSteps: ReferralStepCounts;
  /** Days from the first contact to the case's first accepted handoff, for first acceptances in the period. */
  readonly daysToHandoffAccepted: MedianSample;
  /** Days from the first contact to the case's first taking into care, for those in the period. */
  readonly daysToTakenIntoCare: MedianSample;
  readonly closings: ReadonlyArray<{ readonly outcome: string; readonly count: number }>;
  /** The same figures month by month (evaluators' reports are built from their months' releases). */
  readonly byMonth?: readonly LineFigures[];
}

/** The phases with a time column, in path order: a case stands at the last one it had reached. */
const PHASE_COLUMN_ORDER = EVALUATION_PHASES.flatMap((phase) =>
  phase === 'first_contact' ? [] : [[phase, PHASE_COLUMNS[phase]] as const],
);
/** Where a case's referrals stand, checked in this order (as `referralBy` does): the first reached wins. */
const REFERRAL_COLUMN_ORDER = [
  ['taken_into_care', 'first_care_at'],
  ['accepted', 'first_accepted_at'],
  ['declined', 'first_declined_at'],
  ['sent', 'first_sent_at'],
  ['proposed', 'first_proposed_at'],
] as const satisfies ReadonlyArray<readonly [(typeof REFERRAL_PROGRESS)[number], string]>;

/** Reads the evaluation read model, live or a replay's copy (another table mapping). */
export class EvaluationQueries {
  protected readonly tables: TableNames<EvaluationTable>;

  constructor(
    protected readonly db: AnyKysely,
    tables?: TableNames<EvaluationTable>,
  ) {
    this.tables = tables ?? liveTables(evaluationProjection);
  }

  /** Which events the live read model holds: those up to its checkpoint, the last recorded at `recordedAt`. */
  async logState(): Promise<ReportLogState> {
    const row = await this.db
      .selectFrom('projection_checkpoints')
      .select(['commit_position', 'prepare_position', 'last_event_at'])
      .where('name', '=', evaluationProjection.name)
      .executeTakeFirst();
    if (!row) return { position: formatPosition(START_OF_LOG), recordedAt: null };
    return {
      position: formatPosition({ commit: Number(row.commit_position), prepare: Number(row.prepare_position) }),
      recordedAt: row.last_event_at === null ? null : new Date(row.last_event_at as string | Date).toISOString(),
    };
  }

  /** The first and last month with a contact, over the lines given; undefined when there is none. */
  async monthsWithData(lineIds: readonly string[]): Promise<{ from: string; to: string } | undefined> {
    if (lineIds.length === 0) return undefined;
    const row = await this.db
      .selectFrom(this.tables.evaluation_contacts)
      .select([sql<string | null>`min(month)`.as('from'), sql<string | null>`max(month)`.as('to')])
      .where('line_id', 'in', lineIds)
      .executeTakeFirst();
    return row?.from && row.to ? { from: row.from, to: row.to } : undefined;
  }

  async lineFigures(lineId: string, months: readonly string[]): Promise<LineFigures> {
    const from = months[0];
    const to = months.at(-1);
    if (from === undefined || to === undefined) throw new RangeError('figures cover at least one month');
    const start = monthStart(from);
    const end = monthEnd(to);
    const t = this.tables;

    const contactRows = (await this.db
      .selectFrom(t.evaluation_contacts)
      .select([
        'month',
        'kind',
        'caller_type',
        'channel',
        'age_band',
        'gender',
        'concern',
        'heard_of_line',
        'out_of_hours',
        sql<boolean>`recovered_at is not null`.as('recovered'),
        sql<number>`count(*)::int`.as('count'),
      ])
      .where('line_id', '=', lineId)
      .where('month', '>=', from)
      .where('month', '<=', to)
      .groupBy([
        'month',
        'kind',
        'caller_type',
        'channel',
        'age_band',
        'gender',
        'concern',
        'heard_of_line',
        'out_of_hours',
        sql`recovered_at is not null`,
      ])
      .execute()) as ContactRow[];
    const contacts: ContactGroup[] = contactRows.map((row) => ({
      month: row.month,
      kind: row.kind,
      callerType: row.caller_type,
      channel: row.channel,
      ageBand: row.age_band,
      gender: row.gender,
      concern: row.concern,
      heardOfLine: row.heard_of_line,
      hours: !row.out_of_hours ? 'in_hours' : row.recovered ? 'out_of_hours_recovered' : 'out_of_hours_not_recovered',
      count: Number(row.count),
    }));

    const cases = await this.caseCounts(lineId, from, to);

    const stepCount = (column: string) =>
      sql<number>`count(*) filter (where ${sql.ref(column)} >= ${start}::timestamptz and ${sql.ref(column)} < ${end}::timestamptz)::int`;
    const steps = await this.db
      .selectFrom(t.evaluation_referrals)
      .select([
        stepCount('proposed_at').as('proposed'),
        stepCount('sent_at').as('sent'),
        stepCount('accepted_at').as('accepted'),
        stepCount('declined_at').as('declined'),
        stepCount('care_at').as('taken_into_care'),
      ])
      .where('line_id', '=', lineId)
      .executeTakeFirstOrThrow();

    const daysTo = (column: 'first_accepted_at' | 'first_care_at') => this.daysSample(lineId, column, start, end);

    const closingRows = await this.db
      .selectFrom(t.evaluation_closings)
      .select(['outcome', sql<number>`count(*)::int`.as('count')])
      .where('line_id', '=', lineId)
      .where('month', '>=', from)
      .where('month', '<=', to)
      .groupBy('outcome')
      .execute();

    return {
      lineId,
      months,
      contacts: contacts.sort(compareGroups),
      cases,
      referralSteps: {
        proposed: Number(steps.proposed),
        sent: Number(steps.sent),
        accepted: Number(steps.accepted),
        declined: Number(steps.declined),
        taken_into_care: Number(steps.taken_into_care),
      },
      daysToHandoffAccepted: await daysTo('first_accepted_at'),
      daysToTakenIntoCare: await daysTo('first_care_at'),
      closings: closingRows
        .map((row) => ({ outcome: row.outcome as string, count: Number(row.count) }))
        .sort((a, b) => (a.outcome < b.outcome ? -1 : 1)),
    };
  }

  /**
   * The cases opened in the months from…to, counted in SQL: by caller status, by furthest phase, and each
   * month's cohort by where its cases stood 30, 60 and 90 days (of 24 hours, as `countCases` counts them) after
   * their first contact. The same definition as `countCases` (report/case-counts.ts), row for row.
   */
  async caseCounts(lineId: string, from: string, to: string): Promise<CaseCounts> {
    const t = this.tables;
    const tableRows = await sql<{ caller_status: string; furthest_phase: string; count: number }>`
      select coalesce(caller_status, 'not_identified') as caller_status, furthest_phase, count(*)::int as count
      from ${sql.table(t.evaluation_cases)}
      where line_id = ${lineId} and opened_month >= ${from} and opened_month <= ${to}
      group by 1, 2`.execute(this.db);
    const byCallerStatus = new Map<string, number>();
    const byFurthestPhase = new Map<string, number>();
    for (const row of tableRows.rows) {
      const count = Number(row.count);
      byCallerStatus.set(row.caller_status, (byCallerStatus.get(row.caller_status) ?? 0) + count);
      byFurthestPhase.set(row.furthest_phase, (byFurthestPhase.get(row.furthest_phase) ?? 0) + count);
    }

    const horizonColumns = COHORT_HORIZONS.flatMap((horizon, column) => {
      const cutOff = sql`opened_at + ${sql.raw(`interval '${horizon * 24} hours'`)}`;
      const by = (at: string) => sql`${sql.ref(at)} <= ${cutOff}`;
      const phases = [...PHASE_COLUMN_ORDER].reverse();
      return [
        sql`case ${sql.join(
          phases.map(([phase, at]) => sql`when ${by(at)} then ${sql.lit(PHASE_PROGRESS.indexOf(phase))}`),
          sql` `,
        )} else ${sql.lit(PHASE_PROGRESS.indexOf('first_contact'))} end as ${sql.id(`phase_${column}`)}`,
        sql`case ${sql.join(
          REFERRAL_COLUMN_ORDER.map(
            ([status, at]) => sql`when ${by(at)} then ${sql.lit(REFERRAL_PROGRESS.indexOf(status))}`,
          ),
          sql` `,
        )} else ${sql.lit(REFERRAL_PROGRESS.indexOf('no_referral'))} end as ${sql.id(`referral_${column}`)}`,
      ];
    });
    const groupColumns = [
      'opened_month',
      ...COHORT_HORIZONS.flatMap((_, column) => [`phase_${column}`, `referral_${column}`]),
    ];
    const cohortRows = await sql<Record<string, string | number>>`
      select ${sql.join(groupColumns.map((column) => sql.id(column)))}, count(*)::int as count
      from (
        select opened_month, ${sql.join(horizonColumns)}
        from ${sql.table(t.evaluation_cases)}
        where line_id = ${lineId} and opened_month >= ${from} and opened_month <= ${to}
      ) as standing
      group by ${sql.join(groupColumns.map((column) => sql.id(column)))}`.execute(this.db);
    const cohorts = new Map<string, ReturnType<typeof emptyCohort>>();
    for (const row of cohortRows.rows) {
      const month = String(row.opened_month);
      const count = Number(row.count);
      const cohort = cohorts.get(month) ?? emptyCohort();
      cohorts.set(month, cohort);
      cohort.size += count;
      COHORT_HORIZONS.forEach((_, column) => {
        cohort.phases[Number(row[`phase_${column}`])]![column]! += count;
        cohort.referrals[Number(row[`referral_${column}`])]![column]! += count;
      });
    }
    return { byCallerStatus, byFurthestPhase, cohorts };
  }

  /**
   * Days from the first contact to a step, for the cases that took it in [start, end): how many, and the middle
   * value(s) in ascending order. The differences are whole milliseconds computed in SQL, divided by a day here,
   * exactly as the list of every case's days was.
   */
  private async daysSample(
    lineId: string,
    column: 'first_accepted_at' | 'first_care_at',
    start: string,
    end: string,
  ): Promise<MedianSample> {
    const t = this.tables;
    const inPeriod = sql`line_id = ${lineId} and ${sql.ref(column)} >= ${start}::timestamptz and ${sql.ref(column)} < ${end}::timestamptz`;
    const counted = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(t.evaluation_cases)} where ${inPeriod}`.execute(this.db);
    const n = Number(counted.rows[0]?.n ?? 0);
    if (n === 0) return { n, middle: [] };
    const milliseconds = sql`round((extract(epoch from ${sql.ref(column)}) - extract(epoch from opened_at)) * 1000)::bigint`;
    const middle = await sql<{ ms: string }>`
      select ${milliseconds}::text as ms from ${sql.table(t.evaluation_cases)} where ${inPeriod}
      order by ${milliseconds} offset ${n % 2 === 1 ? (n - 1) / 2 : n / 2 - 1} limit ${n % 2 === 1 ? 1 : 2}`.execute(
      this.db,
    );
    return { n, middle: middle.rows.map((row) => Number(row.ms) / DAY_MS) };
  }
}

function compareGroups(a: ContactGroup, b: ContactGroup): number {
  const keyOf = (g: ContactGroup) =>
    [g.month, g.kind, g.callerType, g.channel, g.ageBand, g.gender, g.concern, g.heardOfLine, g.hours].join('|');
  const [x, y] = [keyOf(a), keyOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
