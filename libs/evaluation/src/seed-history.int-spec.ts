import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Settings } from '@helpline/config';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { HistoryAlreadySeededError, seedHistory, SeedHistoryResult } from '@helpline/seed-history';
import { EvaluationReports, EvaluationRequestError, ReportAccess, ReportRequest } from './evaluation-reports';
import { monthsBetween } from './rome-months';
import { EvaluatorKnowledge } from './testing/evaluator-knowledge';
import type { EvaluationReport, ReportTable } from './report/report.model';
import { determinedCells, tableProblem } from './report/suppression';
import { projectLive } from './testing/case-history';
import { CaseByCaseQueries } from './testing/case-by-case-queries';
import { renderReportJson } from './report/render-data';

// The project-level testTimeout is not applied on every run (see the directory suites); the history takes time.
jest.setTimeout(300_000);

const settings = {
  masterKey: randomBytes(32),
  pseudonymSecret: 'seed-history-test-pseudonym-secret-0123456789',
  callbackNumberRetentionHours: 72,
  smallCellThreshold: 5,
  keyStoreDir: mkdtempSync(join(tmpdir(), 'helpline-seed-keys-')),
} as Settings;
const FULL: ReportAccess = { audience: 'line', lines: '*', smallCellThreshold: 5 };
const EVALUATOR: ReportAccess = { audience: 'evaluator', lines: '*', smallCellThreshold: 5 };

function sostienimi(report: EvaluationReport) {
  return report.lines.find((line) => line.lineId === 'sostienimi')!;
}

function rowTotals(table: ReportTable): Record<string, number | null> {
  return Object.fromEntries(table.rows.map((row, rowIndex) => [row, table.rowTotals![rowIndex]!]));
}

/** The equations of a published two-way table with margins; a null is an unknown. Which unknowns they pin down. */
function solvable(table: ReportTable): string[] {
  const cells = table.cells.map((row) => row.map((value) => value ?? 0));
  const problem = tableProblem(
    {
      cells,
      cellIds: table.rows.map((row) => table.columns.map((column) => `${row}/${column}`)),
      rowTotals: table.rowTotals!.map((value) => value ?? 0),
      rowTotalIds: table.rows.map((row) => `${row}/total`),
      columnTotals: table.columnTotals!.map((value) => value ?? 0),
      columnTotalIds: table.columns.map((column) => `total/${column}`),
      grandTotal: table.total ?? 0,
      grandTotalId: 'total/total',
    },
    new Set(),
  );
  const hidden = new Set<string>();
  table.rows.forEach((row, r) => {
    table.columns.forEach((column, c) => table.cells[r]![c] === null && hidden.add(`${row}/${column}`));
    if (table.rowTotals![r] === null) hidden.add(`${row}/total`);
  });
  table.columns.forEach((column, c) => table.columnTotals![c] === null && hidden.add(`total/${column}`));
  if (table.total === null) hidden.add('total/total');
  for (const equation of problem.equations) {
    const unknown = [equation.total, ...equation.parts].filter((id) => hidden.has(id));
    if (unknown.length === 1) return unknown;
  }
  return determinedCells(problem.equations, hidden);
}

describe('the seeded SostieniMi history, September 2019 to November 2020', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let seeded: SeedHistoryResult;
  let reports: EvaluationReports;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
    seeded = await seedHistory(database, store, settings, { seed: 2019 });
    await projectLive(database, store, 2000);
    reports = new EvaluationReports({ database, eventStore: store, now: () => new Date('2021-03-01T00:00:00Z') });
  });
  afterAll(async () => {
    await store.close();
    await database.close();
  });

  // How long it takes is a benchmark's business (the machine is shared), not a test's.
  it('was written through the domain, command by command', () => {
    expect(seeded).toMatchObject({ seed: 2019, scale: 1, contacts: 952 });
    expect(seeded.commands).toBeGreaterThan(3000);
  });

  it('gives the published figures in the line’s full report for the whole period', async () => {
    const report = await reports.report({}, FULL);
    expect(report.period).toMatchObject({ from: '2019-09', to: '2020-11' });
    const line = sostienimi(report);
    expect(line.headline.contacts).toBe(952);
    const callers = line.tables.find((t) => t.id === 'contacts_by_caller_type')!;
    expect(rowTotals(callers)).toEqual({
      person_concerned: 606,
      family_or_acquaintance: 313,
      social_or_health_worker: 25,
      media: 4,
      other: 4,
    });
    const ages = rowTotals(line.tables.find((t) => t.id === 'contacts_by_age_band')!);
    expect(Math.round((ages['50_60']! / 952) * 100)).toBe(39);
    expect(Math.round((ages['40_50']! / 952) * 100)).toBe(33);
    expect(Math.round((ages['25_30']! / 952) * 100)).toBe(21);
    const genders = rowTotals(line.tables.find((t) => t.id === 'contacts_by_gender')!);
    expect(genders.female!).toBeGreaterThan(952 / 2);
    const family = rowTotals(callers).family_or_acquaintance!;
    expect(Math.round((family / 952) * 100)).toBeGreaterThanOrEqual(30);

    const stepTable = line.tables.find((t) => t.id === 'referral_steps')!;
    const steps = Object.fromEntries(stepTable.rows.map((row, r) => [row, stepTable.cells[r]![0]]));
    expect(steps.proposed).toBeGreaterThan(steps.sent!);
    expect(steps.sent).toBeGreaterThan(steps.accepted!);
    expect(steps.accepted).toBeGreaterThan(steps.taken_into_care!);
    expect(steps.taken_into_care).toBeGreaterThan(0);
    const rate = line.indicators.find((i) => i.id === 'handoff_acceptance_rate')!;
    expect(rate.value).toBeGreaterThan(0.6);
    expect(rate.value).toBeLessThan(0.95);
    expect(line.indicators.find((i) => i.id === 'out_of_hours_recovery_rate')!.value).toBeGreaterThan(0.4);
    expect(line.cohorts).toHaveLength(15);
  });

  it('hides the 4 media and 4 other contacts from evaluators, with complementary cells, so that nothing can be worked out', async () => {
    // Evaluators get months, quarters and years: the year 2020 here.
    const year = { from: '2020-01', to: '2020-12' };
    const report = await reports.report(year, EVALUATOR);
    const line = sostienimi(report);
    const fullYear = sostienimi(await reports.report(year, FULL));
    expect(line.headline).toEqual(fullYear.headline);
    const callers = line.tables.find((t) => t.id === 'contacts_by_caller_type')!;
    const totals = rowTotals(callers);
    const fullTotals = rowTotals(fullYear.tables.find((t) => t.id === 'contacts_by_caller_type')!);
    // A year's figure is the sum of its months' published figures: large ones are given, small ones never.
    expect(totals).toMatchObject({ person_concerned: fullTotals.person_concerned, media: null, other: null });
    expect(callers.cells[callers.rows.indexOf('media')]![0]).toBeNull();
    expect(callers.cells[callers.rows.indexOf('other')]![0]).toBeNull();
    // Besides the cells below 5, others of their rows and columns are hidden...
    const full = fullYear.tables.find((t) => t.id === 'contacts_by_caller_type')!;
    const small = [...full.cells.flat(), ...full.rowTotals!, ...full.columnTotals!].filter(
      (v) => v! > 0 && v! < 5,
    ).length;
    expect(small).toBeGreaterThanOrEqual(4);
    expect(callers.suppressedCells).toBeGreaterThan(small);
    // ... so that no hidden cell is the only unknown of a row or column, nor solvable from all of them together.
    for (const table of line.tables.filter((t) => t.rowTotals && t.columnTotals))
      expect({ table: table.id, solvable: solvable(table) }).toEqual({ table: table.id, solvable: [] });
    expect(report.suppression).toMatchObject({ threshold: 5, method: 'primary-and-complementary' });
    expect(report.lines.map((l) => l.lineId)).not.toContain('employee-support');
    expect(JSON.stringify(report)).not.toMatch(/case_?[iI]d|ps_[A-Za-z0-9_-]{10}/);
  });

  it('lets an evaluator work out no small cell from every report they may ask for, taken together', async () => {
    const line = { lineIds: ['sostienimi'] };
    const knowledge = new EvaluatorKnowledge(5);
    for (const month of monthsBetween('2019-09', '2020-11'))
      knowledge.addTruth(await reports.report({ ...line, month }, FULL));
    const asked: string[] = [];
    const ask = async (request: ReportRequest) => {
      try {
        knowledge.addReport(await reports.report({ ...line, ...request }, EVALUATOR));
        asked.push(
          `${request.month ?? `${request.from}..${request.to}`}${request.asOf ? ` as of ${request.asOf}` : ''}`,
        );
      } catch (error) {
        if (!(error instanceof EvaluationRequestError)) throw error;
      }
    };
    // Every month, every span of months over two years, live; and some as of a date inside the history.
    const months = monthsBetween('2019-01', '2020-12');
    for (const month of months) await ask({ month });
    for (const [i, from] of months.entries()) for (const to of months.slice(i + 1)) await ask({ from, to });
    for (const request of [
      { month: '2020-04' },
      { month: '2020-05' },
      { month: '2020-06' },
      { from: '2020-01', to: '2020-03' },
    ])
      await ask({ ...request, asOf: '2020-06-15' });
    // Months, quarters and years, nothing else; a month still running is not given.
    expect(asked).toContain('2020-04..2020-06');
    expect(asked).toContain('2019-01..2019-12');
    expect(asked).not.toContain('2020-02..2020-03');
    expect(asked).not.toContain('2020-06 as of 2020-06-15');
    expect(asked).toHaveLength(24 + 8 + 2 + 3);

    expect(knowledge.mismatches).toEqual([]);
    expect(knowledge.hiddenSmallFigures).toBeGreaterThan(100);
    expect(knowledge.recoverable()).toEqual([]);
  });

  it('gives the same report bytes as when every case of the period was read and counted in JavaScript', async () => {
    // The reference reads the figures as the report did before its per-case counts and medians moved into SQL.
    const reference = new EvaluationReports({
      database,
      eventStore: store,
      now: () => new Date('2021-03-01T00:00:00Z'),
      queries: (db, tables) => new CaseByCaseQueries(db, tables),
    });
    const requests: Array<[ReportRequest, ReportAccess]> = [
      [{}, FULL],
      [{ from: '2020-01', to: '2020-12' }, EVALUATOR],
      [{ from: '2020-04', to: '2020-06' }, EVALUATOR],
      ...monthsBetween('2019-09', '2020-11').flatMap((month): Array<[ReportRequest, ReportAccess]> => [
        [{ month }, EVALUATOR],
        [{ month }, FULL],
      ]),
      [{ from: '2020-01', to: '2020-12', asOf: '2020-12-31' }, EVALUATOR],
      [{ asOf: '2020-06-15' }, FULL],
      [{ month: '2020-05', asOf: '2020-06-15' }, EVALUATOR],
    ];
    let cohortsWithCases = 0;
    for (const [request, access] of requests) {
      const report = await reports.report(request, access);
      cohortsWithCases += report.lines.flatMap((line) => line.cohorts).filter((c) => (c.size ?? 0) > 0).length;
      expect({ request, access: access.audience, json: renderReportJson(report) }).toEqual({
        request,
        access: access.audience,
        json: renderReportJson(await reference.report(request, access)),
      });
    }
    expect(cohortsWithCases).toBeGreaterThan(30);
  });

  it('refuses to seed the same history twice', async () => {
    await expect(seedHistory(database, store, settings, { seed: 2019 })).rejects.toBeInstanceOf(
      HistoryAlreadySeededError,
    );
  });
});
