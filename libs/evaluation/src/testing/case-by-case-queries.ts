import type { TableNames } from '@helpline/projections';
import { fromRow, type EvaluationTable } from '../evaluation.projection';
import { EvaluationQueries, type LineFigures } from '../evaluation.queries';
import type { CaseRecord } from '../evaluation.records';
import { countCases, medianSampleOf, type CaseFacts } from '../report/case-counts';
import { DAY_MS, monthEnd, monthStart } from '../rome-months';

/**
 * The read model read as the report read it before its per-case figures moved into SQL: every case of the
 * period fetched and counted in JavaScript (`countCases`), every day count of the medians fetched and sorted.
 * The reference the SQL of EvaluationQueries is held to; it holds one row per case in memory, so only for tests.
 */
export class CaseByCaseQueries extends EvaluationQueries {
  constructor(db: ConstructorParameters<typeof EvaluationQueries>[0], tables?: TableNames<EvaluationTable>) {
    super(db, tables);
  }

  override async lineFigures(lineId: string, months: readonly string[]): Promise<LineFigures> {
    const figures = await super.lineFigures(lineId, months);
    const start = monthStart(months[0]!);
    const end = monthEnd(months.at(-1)!);
    const caseRows = await this.db
      .selectFrom(this.tables.evaluation_cases)
      .selectAll()
      .where('line_id', '=', lineId)
      .where('opened_month', '>=', months[0]!)
      .where('opened_month', '<=', months.at(-1)!)
      .execute();
    const cases = caseRows
      .map((row) => factsOf(fromRow<CaseRecord>(row)))
      .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0));
    const daysTo = async (column: 'first_accepted_at' | 'first_care_at') => {
      const rows = (await this.db
        .selectFrom(this.tables.evaluation_cases)
        .select(['opened_at', column])
        .where('line_id', '=', lineId)
        .where(column, '>=', start)
        .where(column, '<', end)
        .execute()) as Array<Record<'opened_at' | typeof column, Date | string>>;
      return rows
        .map((row) => (new Date(row[column]).getTime() - new Date(row.opened_at).getTime()) / DAY_MS)
        .sort((a, b) => a - b);
    };
    return {
      ...figures,
      cases: countCases(cases),
      daysToHandoffAccepted: medianSampleOf(await daysTo('first_accepted_at')),
      daysToTakenIntoCare: medianSampleOf(await daysTo('first_care_at')),
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
