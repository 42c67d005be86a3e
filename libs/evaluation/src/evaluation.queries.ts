import { sql } from 'kysely';
import type { AnyKysely } from '@helpline/database';
import type { TableNames } from '@helpline/projections';
import { liveTables } from '@helpline/projections';
import { evaluationProjection, EvaluationTable, fromRow } from './evaluation.projection';
import type { CaseRecord, EvaluationPhase } from './evaluation.records';
import { DAY_MS, monthEnd, monthStart } from './rome-months';
import { formatPosition, START_OF_LOG } from '@helpline/event-store';
import type { ReportLogState } from './report/report.model';

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
  readonly cases: readonly CaseFacts[];
  readonly referralSteps: ReferralStepCounts;
  /** Days from the first contact to the case's first accepted handoff, for first acceptances in the period. */
  readonly daysToHandoffAccepted: readonly number[];
  /** Days from the first contact to the case's first taking into care, for those in the period. */
  readonly daysToTakenIntoCare: readonly number[];
  readonly closings: ReadonlyArray<{ readonly outcome: string; readonly count: number }>;
  /** The same figures month by month (evaluators' reports are built from their months' releases). */
  readonly byMonth?: readonly LineFigures[];
}

/** Reads the evaluation read model, live or a replay's copy (another table mapping). */
export class EvaluationQueries {
  private readonly tables: TableNames<EvaluationTable>;

  constructor(
    private readonly db: AnyKysely,
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

    const caseRows = await this.db
      .selectFrom(t.evaluation_cases)
      .selectAll()
      .where('line_id', '=', lineId)
      .where('opened_month', '>=', from)
      .where('opened_month', '<=', to)
      .execute();
    const cases = caseRows
      .map((row) => factsOf(fromRow<CaseRecord>(row)))
      .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0));

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

    const daysTo = async (column: 'first_accepted_at' | 'first_care_at') => {
      const rows = (await this.db
        .selectFrom(t.evaluation_cases)
        .select(['opened_at', column])
        .where('line_id', '=', lineId)
        .where(column, '>=', start)
        .where(column, '<', end)
        .execute()) as Array<Record<'opened_at' | typeof column, Date | string>>;
      return rows
        .map((row) => (new Date(row[column]).getTime() - new Date(row.opened_at).getTime()) / DAY_MS)
        .sort((a, b) => a - b);
    };

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
}

function factsOf(record: CaseRecord): CaseFacts {
  return {
    openedMonth: record.opened_month,
    openedAt: record.opened_at,
    furthestPhase: record.furthest_phase,
    phaseAt: {
      framing: record.framing_at,
      reframing: record.reframing_at,
      goal: record.goal_at,
      orientation: record.orientation_at,
      accompaniment: record.accompaniment_at,
    },
    firstProposedAt: record.first_proposed_at,
    firstSentAt: record.first_sent_at,
    firstAcceptedAt: record.first_accepted_at,
    firstDeclinedAt: record.first_declined_at,
    firstCareAt: record.first_care_at,
    callerStatus: record.caller_status,
  };
}

function compareGroups(a: ContactGroup, b: ContactGroup): number {
  const keyOf = (g: ContactGroup) =>
    [g.month, g.kind, g.callerType, g.channel, g.ageBand, g.gender, g.concern, g.heardOfLine, g.hours].join('|');
  const [x, y] = [keyOf(a), keyOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
