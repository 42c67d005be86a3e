import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store';
import { EvaluationReports, ReportAccess } from './evaluation-reports';
import type { CohortReport } from './report/report.model';
import { CaseHistory, projectLive, rome, type HistoryCommand } from './testing/case-history';

jest.setTimeout(120_000);

const FULL: ReportAccess = { audience: 'line', lines: '*', smallCellThreshold: 5 };
const now = () => new Date('2020-12-31T12:00:00Z');

const OPENED = rome('2020-03-02T10:00');
const FRAMED: HistoryCommand = {
  type: 'FrameRequest',
  occurredAt: rome('2020-03-03T10:00'),
  categories: ['information_on_services'],
};
/** 34 days after the first contact: beyond the cohort's 30-day horizon. */
const GOAL: HistoryCommand = { type: 'SetGoal', occurredAt: rome('2020-04-05T10:00'), goalKind: 'start_treatment' };

/** One case, its entries recorded in the order given, projected; the March report and the case's stored phase times. */
async function projectedInOrder(commands: readonly HistoryCommand[]) {
  const database: TestDatabase = await createTestDatabase();
  const store = new PostgresEventStore(database);
  try {
    const writer = await new CaseHistory(store).open(OPENED);
    for (const command of commands) await writer.run(command);
    await projectLive(database, store, 1);
    const report = await new EvaluationReports({ database, eventStore: store, now }).report(
      { month: '2020-03', lineIds: ['sostienimi'] },
      FULL,
    );
    const row = await database.db
      .selectFrom('evaluation_cases')
      .select(['framing_at', 'goal_at'])
      .executeTakeFirstOrThrow();
    return { cohorts: report.lines[0].cohorts, lines: report.lines, row };
  } finally {
    await store.close();
    await database.close();
  }
}

function reachedPhases(cohort: CohortReport): Record<string, unknown> {
  return Object.fromEntries(cohort.reached.phases.rows.map((row, r) => [row, cohort.reached.phases.cells[r]]));
}

describe('The evaluation read model whatever order entries were recorded in', () => {
  it('keeps the earliest time a case reached a phase: a framing recorded after the goal it preceded', async () => {
    const inOrder = await projectedInOrder([FRAMED, GOAL]);
    const late = await projectedInOrder([GOAL, FRAMED]);

    expect(new Date(late.row.framing_at as Date).toISOString()).toBe(new Date(FRAMED.occurredAt).toISOString());
    expect(late.row).toEqual(inOrder.row);
    // The case reached framing on its second day: within every horizon of its March cohort, however it was recorded.
    expect(reachedPhases(late.cohorts[0]!)).toMatchObject({ framing: [1, 1, 1], goal: [0, 1, 1] });
    expect(late.lines).toEqual(inOrder.lines);
  });
});
