import {
  AGE_BANDS,
  CALLER_TYPES,
  CASE_OUTCOMES,
  CHANNELS,
  CONCERNS,
  findLine,
  GENDERS,
  HEARD_OF_LINE_SOURCES,
} from '@helpline/domain';
import type { ContactGroup, LineFigures } from '../evaluation.queries';
import { EVALUATION_PROJECTION_VERSION, evaluationProjection } from '../evaluation.projection';
import { DAY_MS, EVALUATION_TIME_ZONE, monthEnd } from '../rome-months';
import type { CohortCounts, MedianSample } from './case-counts';
import {
  COHORT_HORIZONS,
  CohortReport,
  EvaluationReport,
  Figure,
  LineReport,
  PHASE_PROGRESS,
  PHASES_REACHED,
  REFERRAL_PROGRESS,
  REFERRAL_STEPS_REACHED,
  REPORT_FORMAT_VERSION,
  ReportAudience,
  ReportIndicator,
  ReportLogState,
  ReportTable,
  TableId,
} from './report.model';
import { suppress, SuppressionCell, SuppressionEquation, tableProblem, TableShape } from './suppression';

export interface BuildReportOptions {
  readonly audience: ReportAudience;
  /** Evaluators' figures below this are suppressed (settings.smallCellThreshold). */
  readonly threshold: number;
  readonly period: { readonly from: string; readonly to: string; readonly months: readonly string[] };
  /** The as-of cut-off of a replay, or null for the live read model. */
  readonly asOf: string | null;
  /** The instant the cohorts' horizons are judged complete against: the cut-off, or now for the live model. */
  readonly observedAt: string;
  /** The state of the log the figures come from. */
  readonly log: ReportLogState;
}

/** The report from the raw figures of each line: the full figures, or the evaluators' suppressed ones. */
export function buildReport(figures: readonly LineFigures[], options: BuildReportOptions): EvaluationReport {
  const lines = figures.map((line) => buildLineReport(line, options));
  return {
    kind: 'helpline-evaluation-report',
    formatVersion: REPORT_FORMAT_VERSION,
    definitions: { projection: evaluationProjection.name, version: EVALUATION_PROJECTION_VERSION },
    audience: options.audience,
    timeZone: EVALUATION_TIME_ZONE,
    period: { from: options.period.from, to: options.period.to, months: [...options.period.months] },
    asOf: options.asOf,
    log: { position: options.log.position, recordedAt: options.log.recordedAt },
    suppression:
      options.audience === 'evaluator'
        ? {
            threshold: options.threshold,
            method: 'primary-and-complementary',
            suppressedCells: lines.reduce((sum, line) => sum + line.suppressedCells, 0),
          }
        : null,
    lines,
  };
}

const KINDS = ['first', 'follow_up'] as const;
const HOURS = ['in_hours', 'out_of_hours_recovered', 'out_of_hours_not_recovered'] as const;
const CALLER_STATUSES = ['new', 'returning', 'not_identified'] as const;

interface DraftTable {
  readonly id: TableId;
  readonly shape: TableShape;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
}

function buildLineReport(figures: LineFigures, options: BuildReportOptions): LineReport {
  if (options.audience === 'evaluator') return buildEvaluatorLineReport(figures, options);
  const line = findLine(figures.lineId);
  const drafts = tableDrafts(figures);
  const cohortDrafts = figures.months.map((month) =>
    cohortDraft(month, figures.cases.cohorts.get(month), options.observedAt),
  );
  const shapes = [...drafts.map((d) => d.shape), ...cohortDrafts.flatMap((c) => [c.phases, c.referrals])];
  const values = new Map(
    shapes.flatMap((shape) => tableProblem(shape, new Set()).cells.map((cell) => [cell.id, cell.value])),
  );
  const hidden: ReadonlySet<string> = new Set();
  const figure = (id: string): Figure => values.get(id)!;
  const tables = drafts.map((draft) => publishTable(draft, figure, hidden));
  return {
    lineId: figures.lineId,
    name: line?.name ?? figures.lineId,
    headline: {
      contacts: figure('contacts:all'),
      firstContacts: figure('contacts:first'),
      followUpContacts: figure('contacts:follow_up'),
    },
    tables,
    indicators: indicatorsOf(tables, figures, options, true),
    cohorts: cohortDrafts.map((draft) => publishCohort(draft, figure, hidden)),
    suppressedCells: 0,
  };
}

/**
 * What evaluators get, as one linked set of releases that only grows: each month is released once it has ended,
 * suppressed on its own (its tables together); each cohort horizon once it has elapsed, suppressed with the month's
 * decisions standing; a quarter or a year publishes a figure only as the sum of its months' published figures
 * (withheld when any of them is), so it adds nothing to what the months give. Whatever periods and dates an
 * evaluator combines, the figures are those of one jointly protected system.
 */
function buildEvaluatorLineReport(figures: LineFigures, options: BuildReportOptions): LineReport {
  const line = findLine(figures.lineId);
  const byMonth = figures.byMonth ?? [figures];
  const releases = byMonth.map((month) => monthRelease(month, options));
  const tables = tableDrafts(figures).map((draft) =>
    composeTable(
      draft,
      releases.map((release) => release.tables.find((table) => table.id === draft.id)!),
    ),
  );
  const byMonthTable = tables.find((t) => t.id === 'contacts_by_month')!;
  const cohorts = releases.map((release) => release.cohort);
  return {
    lineId: figures.lineId,
    name: line?.name ?? figures.lineId,
    headline: {
      contacts: byMonthTable.total,
      firstContacts: byMonthTable.columnTotals![0]!,
      followUpContacts: byMonthTable.columnTotals![1]!,
    },
    tables,
    indicators: indicatorsOf(
      tables,
      figures,
      options,
      byMonth.every((month) => medianCountsShown(month, options)),
    ),
    cohorts,
    suppressedCells:
      tables.reduce((sum, table) => sum + table.suppressedCells, 0) +
      cohorts.reduce((sum, cohort) => sum + cohort.suppressedCells, 0),
  };
}

interface MonthRelease {
  readonly tables: readonly ReportTable[];
  readonly cohort: CohortReport;
}

/** One month as evaluators get it: its tables suppressed together, then each elapsed cohort horizon in turn. */
function monthRelease(figures: LineFigures, options: BuildReportOptions): MonthRelease {
  const [month] = figures.months;
  if (month === undefined || figures.months.length !== 1) throw new RangeError('a month release covers one month');
  const rename = (id: string): string => {
    if (id === 'contacts:first') return `month:${month}:first`;
    if (id === 'contacts:follow_up') return `month:${month}:follow_up`;
    if (id === 'contacts:all') return `month:${month}:all`;
    return id.startsWith('month:') || id.startsWith('cohort:') ? id : `${month}|${id}`;
  };
  const drafts = tableDrafts(figures).map((draft) => ({ ...draft, shape: renameShape(draft.shape, rename) }));
  const shapes = drafts.map((d) => d.shape);
  const problems = shapes.map((shape) => tableProblem(shape, new Set()));
  const occurrences = new Map<string, number>();
  for (const shape of shapes)
    for (const id of new Set(idsOf(shape))) occurrences.set(id, (occurrences.get(id) ?? 0) + 1);
  const shared = new Set([...occurrences].filter(([, count]) => count > 1).map(([id]) => id));
  const cells: SuppressionCell[] = problems.flatMap((problem) =>
    problem.cells.map((cell) => (shared.has(cell.id) ? { ...cell, rank: 2 } : cell)),
  );
  const equations: SuppressionEquation[] = problems.flatMap((problem) => problem.equations);
  let hidden = suppress({ cells, equations, threshold: options.threshold }).suppressed;

  const cohort = cohortDraft(month, figures.cases.cohorts.get(month), options.observedAt);
  const withheld = new Set<string>();
  COHORT_HORIZONS.forEach((_, column) => {
    const horizonCells = [cohort.phases, cohort.referrals].map((shape) => horizonShape(shape, column));
    if (!cohort.complete[column]) {
      for (const shape of horizonCells) for (const id of idsOf(shape)) if (!id.startsWith('month:')) withheld.add(id);
      return;
    }
    const horizon = horizonCells.map((shape) => tableProblem(shape, new Set()));
    const released = { ids: new Set(cells.map((cell) => cell.id)), suppressed: hidden };
    for (const problem of horizon) {
      cells.push(...problem.cells.filter((cell) => !released.ids.has(cell.id)));
      equations.push(...problem.equations);
    }
    hidden = suppress({ cells, equations, threshold: options.threshold, released }).suppressed;
  });

  const values = new Map(cells.map((cell) => [cell.id, cell.value]));
  const figure = (id: string): Figure => (hidden.has(id) || withheld.has(id) ? null : values.get(id)!);
  return {
    tables: drafts.map((draft) => publishTable(draft, figure, hidden)),
    cohort: publishCohort(cohort, figure, hidden),
  };
}

/** One horizon (column) of a cohort partition, as a table of its own. */
function horizonShape(shape: TableShape, column: number): TableShape {
  return {
    cells: shape.cells.map((row) => [row[column]!]),
    cellIds: shape.cellIds.map((row) => [row[column]!]),
    columnTotals: [shape.columnTotals![column]!],
    columnTotalIds: [shape.columnTotalIds![column]!],
  };
}

function renameShape(shape: TableShape, rename: (id: string) => string): TableShape {
  return {
    ...shape,
    cellIds: shape.cellIds.map((row) => row.map(rename)),
    ...(shape.rowTotalIds ? { rowTotalIds: shape.rowTotalIds.map(rename) } : {}),
    ...(shape.columnTotalIds ? { columnTotalIds: shape.columnTotalIds.map(rename) } : {}),
    ...(shape.grandTotalId ? { grandTotalId: rename(shape.grandTotalId) } : {}),
  };
}

/**
 * A period's table from its months' published tables: each figure the sum of the months' figures (a row a month
 * does not have is a published 0), or withheld when any month's is suppressed.
 */
function composeTable(draft: DraftTable, months: readonly ReportTable[]): ReportTable {
  const sum = (pick: (table: ReportTable) => Figure | undefined): Figure => {
    let total = 0;
    for (const table of months) {
      const value = pick(table);
      if (value === null) return null;
      total += value ?? 0;
    }
    return total;
  };
  const rowOf = (table: ReportTable, row: string) => table.rows.indexOf(row);
  const at = (table: ReportTable, row: string, column: number): Figure | undefined => {
    const index = rowOf(table, row);
    return index < 0 ? 0 : table.cells[index]![column];
  };
  const cells = draft.rows.map((row) => draft.columns.map((_, column) => sum((table) => at(table, row, column))));
  const rowTotals = draft.shape.rowTotalIds
    ? draft.rows.map((row) => sum((table) => (rowOf(table, row) < 0 ? 0 : table.rowTotals![rowOf(table, row)])))
    : null;
  const columnTotals = draft.shape.columnTotalIds
    ? draft.columns.map((_, column) => sum((table) => table.columnTotals![column]))
    : null;
  const total = sum((table) => table.total);
  const figures = [
    ...cells.flat(),
    ...(rowTotals ?? []),
    ...(columnTotals ?? []),
    ...(rowTotals && columnTotals ? [total] : []),
  ];
  return {
    id: draft.id,
    rows: draft.rows,
    columns: draft.columns,
    cells,
    rowTotals,
    columnTotals,
    total,
    suppressedCells: figures.filter((figure) => figure === null).length,
  };
}

function tableDrafts(figures: LineFigures): DraftTable[] {
  const line = findLine(figures.lineId);
  const months = [...figures.months];
  return [
    contactTable('contacts_by_month', months, figures.contacts, (g) => g.month, {
      cell: (row, col) => `month:${row}:${col}`,
      rowTotal: (row) => `month:${row}:all`,
    }),
    contactTable('contacts_by_caller_type', CALLER_TYPES, figures.contacts, (g) => g.callerType),
    contactTable(
      'contacts_by_channel',
      CHANNELS.filter((channel) => !line || line.channels.includes(channel)),
      figures.contacts,
      (g) => g.channel,
    ),
    contactTable('contacts_by_age_band', AGE_BANDS, figures.contacts, (g) => g.ageBand),
    contactTable('contacts_by_gender', GENDERS, figures.contacts, (g) => g.gender),
    contactTable('contacts_by_concern', CONCERNS, figures.contacts, (g) => g.concern),
    contactTable('contacts_by_heard_of_line', HEARD_OF_LINE_SOURCES, figures.contacts, (g) => g.heardOfLine),
    contactTable('contacts_by_hours', HOURS, figures.contacts, (g) => g.hours),
    listTable('cases_by_caller', CALLER_STATUSES, 'cases', figures.cases.byCallerStatus, 'contacts:first'),
    listTable('cases_by_furthest_phase', PHASE_PROGRESS, 'cases', figures.cases.byFurthestPhase, 'contacts:first'),
    listTable(
      'referral_steps',
      REFERRAL_STEPS_REACHED,
      'referrals',
      new Map(Object.entries(figures.referralSteps)),
      undefined,
    ),
    listTable(
      'closings_by_outcome',
      CASE_OUTCOMES,
      'closings',
      new Map(figures.closings.map((c) => [c.outcome, c.count])),
      'closings:all',
    ),
  ];
}

function indicatorsOf(
  tables: readonly ReportTable[],
  figures: LineFigures,
  options: BuildReportOptions,
  countsShown: boolean,
): ReportIndicator[] {
  const steps = tables.find((t) => t.id === 'referral_steps')!;
  const hours = tables.find((t) => t.id === 'contacts_by_hours')!;
  const withCount = (indicator: ReportIndicator): ReportIndicator =>
    countsShown ? indicator : { ...indicator, n: null };
  return [
    rate(
      'handoff_acceptance_rate',
      figureAt(steps.cells, REFERRAL_STEPS_REACHED.indexOf('accepted'), 0),
      figureAt(steps.cells, REFERRAL_STEPS_REACHED.indexOf('declined'), 0),
    ),
    rate(
      'out_of_hours_recovery_rate',
      figureAt([hours.rowTotals!], 0, HOURS.indexOf('out_of_hours_recovered')),
      figureAt([hours.rowTotals!], 0, HOURS.indexOf('out_of_hours_not_recovered')),
    ),
    withCount(median('median_days_to_handoff_accepted', figures.daysToHandoffAccepted, options)),
    withCount(median('median_days_to_taken_into_care', figures.daysToTakenIntoCare, options)),
  ];
}

/** Whether a month's median counts are published (0, or at least the threshold): a period's count sums them. */
function medianCountsShown(figures: LineFigures, options: BuildReportOptions): boolean {
  return [figures.daysToHandoffAccepted.n, figures.daysToTakenIntoCare.n].every(
    (n) => n === 0 || n >= options.threshold,
  );
}

// ---- tables ----

function contactTable(
  id: TableId,
  rows: readonly string[],
  groups: readonly ContactGroup[],
  pick: (group: ContactGroup) => string,
  ids: { cell?: (row: string, column: string) => string; rowTotal?: (row: string) => string } = {},
): DraftTable {
  const allRows = withExtras(rows, groups.map(pick));
  const counts = allRows.map((row) =>
    KINDS.map((kind) => groups.filter((g) => pick(g) === row && g.kind === kind).reduce((sum, g) => sum + g.count, 0)),
  );
  const cellId = ids.cell ?? ((row: string, column: string) => `${id}:${row}:${column}`);
  const rowTotalId = ids.rowTotal ?? ((row: string) => `${id}:${row}:all`);
  // Every row of `counts` has one count per kind.
  const columnTotals = KINDS.map((_, column) => counts.reduce((sum, row) => sum + row[column]!, 0));
  return {
    id,
    rows: allRows,
    columns: KINDS,
    shape: {
      cells: counts,
      cellIds: allRows.map((row) => KINDS.map((kind) => cellId(row, kind))),
      rowTotals: counts.map((row) => row.reduce((sum, count) => sum + count, 0)),
      rowTotalIds: allRows.map(rowTotalId),
      columnTotals,
      columnTotalIds: ['contacts:first', 'contacts:follow_up'],
      grandTotal: columnTotals.reduce((sum, count) => sum + count, 0),
      grandTotalId: 'contacts:all',
    },
  };
}

function listTable(
  id: TableId,
  rows: readonly string[],
  column: string,
  counts: ReadonlyMap<string, number>,
  totalId: string | undefined,
): DraftTable {
  const allRows = withExtras(rows, [...counts.keys()]);
  const values = allRows.map((row) => counts.get(row) ?? 0);
  return {
    id,
    rows: allRows,
    columns: [column],
    shape: {
      cells: values.map((value) => [value]),
      cellIds: allRows.map((row) => [`${id}:${row}`]),
      ...(totalId ? { columnTotals: [values.reduce((sum, value) => sum + value, 0)], columnTotalIds: [totalId] } : {}),
    },
  };
}

function publishTable(draft: DraftTable, figure: (id: string) => Figure, hidden: ReadonlySet<string>): ReportTable {
  const { shape } = draft;
  const ids = idsOf(shape);
  return {
    id: draft.id,
    rows: draft.rows,
    columns: draft.columns,
    cells: shape.cellIds.map((row) => row.map(figure)),
    rowTotals: shape.rowTotalIds ? shape.rowTotalIds.map(figure) : null,
    columnTotals: shape.columnTotalIds ? shape.columnTotalIds.map(figure) : null,
    total: shape.grandTotalId
      ? figure(shape.grandTotalId)
      : shape.columnTotalIds?.length === 1
        ? figure(shape.columnTotalIds[0]!)
        : null,
    suppressedCells: new Set(ids.filter((id) => hidden.has(id))).size,
  };
}

function idsOf(shape: TableShape): string[] {
  return [
    ...shape.cellIds.flat(),
    ...(shape.rowTotalIds ?? []),
    ...(shape.columnTotalIds ?? []),
    ...(shape.grandTotalId ? [shape.grandTotalId] : []),
  ];
}

/** The vocabulary, then any value the data holds that the vocabulary does not (kept, never dropped). */
function withExtras(rows: readonly string[], seen: readonly string[]): string[] {
  const extras = [...new Set(seen)].filter((value) => !rows.includes(value)).sort();
  return [...rows, ...extras];
}

// ---- indicators ----

function rate(id: ReportIndicator['id'], numerator: Figure, other: Figure): ReportIndicator {
  if (numerator === null || other === null) return { id, value: null, n: null };
  const n = numerator + other;
  return { id, value: n === 0 ? null : Math.round((numerator / n) * 10_000) / 10_000, n };
}

function median(id: ReportIndicator['id'], days: MedianSample, options: BuildReportOptions): ReportIndicator {
  const { n, middle } = days;
  if (options.audience === 'evaluator' && n > 0 && n < options.threshold) return { id, value: null, n: null };
  if (n === 0) return { id, value: null, n: 0 };
  // n > 0, so the sample holds one middle value (n odd) or two (n even).
  const value = n % 2 === 1 ? middle[0]! : (middle[0]! + middle[1]!) / 2;
  return { id, value: Math.round(value * 10) / 10, n };
}

// ---- cohorts ----

interface CohortDraft {
  readonly month: string;
  readonly complete: boolean[];
  readonly phases: TableShape;
  readonly referrals: TableShape;
}

function cohortDraft(month: string, counts: CohortCounts | undefined, observedAt: string): CohortDraft {
  const sizeId = `month:${month}:first`;
  const observed = Date.parse(observedAt);
  const size = counts?.size ?? 0;
  const partition = (
    rows: readonly string[],
    table: string,
    cells: CohortCounts['phases'] | undefined,
  ): TableShape => ({
    cells: rows.map((_, row) => COHORT_HORIZONS.map((_, column) => cells?.[row]?.[column] ?? 0)),
    cellIds: rows.map((row) => COHORT_HORIZONS.map((h) => `cohort:${month}:${table}:${row}:${h}`)),
    columnTotals: COHORT_HORIZONS.map(() => size),
    columnTotalIds: COHORT_HORIZONS.map(() => sizeId),
  });
  return {
    month,
    complete: COHORT_HORIZONS.map((h) => Date.parse(monthEnd(month)) + h * DAY_MS <= observed),
    phases: partition(PHASE_PROGRESS, 'phase', counts?.phases),
    referrals: partition(REFERRAL_PROGRESS, 'referral', counts?.referrals),
  };
}

function publishCohort(draft: CohortDraft, figure: (id: string) => Figure, hidden: ReadonlySet<string>): CohortReport {
  const size = figure(`month:${draft.month}:first`);
  const published = (shape: TableShape) => shape.cellIds.map((row) => row.map(figure));
  const phases = published(draft.phases);
  const referrals = published(draft.referrals);
  /** The sum of some rows of a partition column, when the published cells determine it. */
  const derived = (cells: readonly (readonly Figure[])[], included: readonly number[], column: number): Figure => {
    const inside = included.map((row) => figureAt(cells, row, column));
    if (inside.every((v) => v !== null)) return inside.reduce<number>((sum, v) => sum + v, 0);
    const outside = cells.map((_, row) => figureAt(cells, row, column)).filter((_, row) => !included.includes(row));
    if (size !== null && outside.every((v) => v !== null)) return size - outside.reduce<number>((sum, v) => sum + v, 0);
    return null;
  };
  const atLeast = (rows: readonly string[], from: string) =>
    rows.map((_, rowIndex) => rowIndex).filter((rowIndex) => rowIndex >= rows.indexOf(from));
  // Declined ranks below accepted, so "reached accepted" is accepted or taken into care; "declined" is its own row.
  const referralRowsOf = (step: (typeof REFERRAL_STEPS_REACHED)[number]): number[] =>
    step === 'declined' ? [REFERRAL_PROGRESS.indexOf('declined')] : atLeast(REFERRAL_PROGRESS, step);
  const ids = [...idsOf(draft.phases), ...idsOf(draft.referrals)];
  return {
    month: draft.month,
    size,
    horizons: [...COHORT_HORIZONS],
    complete: draft.complete,
    phases: { rows: PHASE_PROGRESS, cells: phases },
    referrals: { rows: REFERRAL_PROGRESS, cells: referrals },
    reached: {
      phases: {
        rows: PHASES_REACHED,
        cells: PHASES_REACHED.map((phase) =>
          COHORT_HORIZONS.map((_, c) => derived(phases, atLeast(PHASE_PROGRESS, phase), c)),
        ),
      },
      referrals: {
        rows: REFERRAL_STEPS_REACHED,
        cells: REFERRAL_STEPS_REACHED.map((step) =>
          COHORT_HORIZONS.map((_, c) => derived(referrals, referralRowsOf(step), c)),
        ),
      },
    },
    suppressedCells: new Set(ids.filter((id) => hidden.has(id) && !id.startsWith('month:'))).size,
  };
}

/** A cell the table's shape guarantees; a missing one is a defect in the report's layout. */
function figureAt(cells: readonly (readonly Figure[])[], row: number, column: number): Figure {
  const value = cells[row]?.[column];
  if (value === undefined) throw new RangeError(`report table has no cell at ${row},${column}`);
  return value;
}
