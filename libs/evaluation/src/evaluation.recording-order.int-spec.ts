import fc from 'fast-check';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { EvaluationReports, ReportAccess } from './evaluation-reports';
import type { CohortReport, LineReport } from './report/report.model';
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
    return { cohorts: report.lines[0]!.cohorts, lines: report.lines, row };
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

/** A case's commands, each with its time; `chain` commands must be recorded in their order, the others anywhere. */
interface PlannedCase {
  readonly openedAt: string;
  readonly loose: readonly HistoryCommand[];
  readonly chain: readonly HistoryCommand[];
}

const DAY_MS = 86_400_000;
const MARCH = Date.parse('2020-03-01T12:00:00Z');
const dayAt = (days: number) => new Date(MARCH + days * DAY_MS).toISOString();

const plannedCaseArbitrary: fc.Arbitrary<PlannedCase> = fc
  .record({
    openedDay: fc.integer({ min: 0, max: 50 }),
    framing: fc.option(fc.integer({ min: 0, max: 100 })),
    reframing: fc.option(fc.integer({ min: 0, max: 100 })),
    goal: fc.option(fc.integer({ min: 0, max: 100 })),
    followUps: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 2 }),
    referral: fc.option(
      fc.record({
        proposed: fc.integer({ min: 0, max: 40 }),
        gaps: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 3, maxLength: 3 }),
        steps: fc.integer({ min: 0, max: 3 }),
        declined: fc.boolean(),
      }),
    ),
  })
  .map(({ openedDay, framing, reframing, goal, followUps, referral }) => {
    const at = (afterOpening: number) => dayAt(openedDay + afterOpening);
    const loose: HistoryCommand[] = [];
    if (framing !== null) loose.push({ type: 'FrameRequest', occurredAt: at(framing), categories: ['listening'] });
    if (reframing !== null)
      loose.push({ type: 'ReframeProblem', occurredAt: at(reframing), categories: ['own_substance_use'] });
    if (goal !== null) loose.push({ type: 'SetGoal', occurredAt: at(goal), goalKind: 'contact_a_service' });
    for (const day of followUps)
      loose.push({
        type: 'RecordFollowUpContact',
        occurredAt: at(day),
        channel: 'phone',
        direction: 'inbound',
        outOfHours: false,
      });
    const chain: HistoryCommand[] = [];
    if (referral) {
      const referralId = 'r1';
      let day = referral.proposed;
      chain.push({ type: 'ProposeReferral', occurredAt: at(day), referralId, serviceId: 'esempio-serd-centro' });
      const next = (gap: number) => at((day += gap));
      if (referral.steps >= 1)
        chain.push({
          type: 'SendHandoff',
          occurredAt: next(referral.gaps[0]!),
          referralId,
          consent: { given: true, method: 'verbal' },
          sharedFields: ['age_band'],
        });
      if (referral.steps >= 2)
        chain.push(
          referral.declined
            ? { type: 'DeclineHandoff', occurredAt: next(referral.gaps[1]!), referralId, reason: 'no_capacity' }
            : { type: 'AcceptHandoff', occurredAt: next(referral.gaps[1]!), referralId },
        );
      if (referral.steps >= 3 && !referral.declined)
        chain.push({ type: 'RecordTakenIntoCare', occurredAt: next(referral.gaps[2]!), referralId });
    }
    return { openedAt: dayAt(openedDay), loose, chain };
  });

/** Every case's commands in one recording order: each case opened first, its chain kept in order, the rest shuffled. */
function recordingOrder(cases: readonly PlannedCase[], draws: readonly number[]): Array<[number, HistoryCommand]> {
  let draw = 0;
  const pick = (length: number) => draws[draw++ % draws.length]! % length;
  const pending = cases.map((planned) => ({ loose: [...planned.loose], chain: [...planned.chain] }));
  const order: Array<[number, HistoryCommand]> = [];
  for (;;) {
    const open = pending.flatMap((queue, index) => (queue.loose.length + queue.chain.length > 0 ? [index] : []));
    if (open.length === 0) return order;
    const index = open[pick(open.length)]!;
    const queue = pending[index]!;
    const fromLoose = queue.chain.length === 0 || (queue.loose.length > 0 && pick(2) === 0);
    const command = fromLoose ? queue.loose.splice(pick(queue.loose.length), 1)[0]! : queue.chain.shift()!;
    order.push([index, command]);
  }
}

/** The history recorded in the given order and projected in batches of `batchSize`: its report's lines, its cases' rows. */
async function reportOf(
  cases: readonly PlannedCase[],
  order: ReadonlyArray<[number, HistoryCommand]>,
  batchSize: number,
): Promise<{ lines: readonly LineReport[]; cases: readonly object[] }> {
  const database: TestDatabase = await createTestDatabase();
  const store = new PostgresEventStore(database);
  try {
    const history = new CaseHistory(store);
    const writers = [];
    for (const [index, planned] of cases.entries())
      writers.push(
        await history.open(planned.openedAt, {}, `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`),
      );
    for (const [index, command] of order) await writers[index]!.run(command);
    await projectLive(database, store, batchSize);
    const report = await new EvaluationReports({ database, eventStore: store, now }).report(
      { from: '2020-03', to: '2020-06', lineIds: ['sostienimi'] },
      FULL,
    );
    // Every stored time of every case (the contact a call-back would answer is an event id: not comparable).
    const rows = await database.db.selectFrom('evaluation_cases').selectAll().orderBy('case_id').execute();
    return { lines: report.lines, cases: rows.map(({ last_contact_id, ...row }) => (void last_contact_id, row)) };
  } finally {
    await store.close();
    await database.close();
  }
}

describe('The evaluation figures of random histories in random recording orders', () => {
  it('are the same whatever order the entries were recorded in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(plannedCaseArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        async (cases, draws, batchSize) => {
          // The reference records everything in the order it happened (a sort that keeps each chain's order).
          const inTimeOrder = cases.flatMap((planned, index) =>
            [...planned.loose, ...planned.chain].map((command): [number, HistoryCommand] => [index, command]),
          );
          inTimeOrder.sort(([, a], [, b]) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
          const shuffled = recordingOrder(cases, draws);
          expect(await reportOf(cases, shuffled, batchSize)).toEqual(await reportOf(cases, inTimeOrder, 500));
        },
      ),
      { numRuns: 10 },
    );
  });
});
