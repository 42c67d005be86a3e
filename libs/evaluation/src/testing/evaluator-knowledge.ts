import { COHORT_HORIZONS, PHASE_PROGRESS, REFERRAL_PROGRESS } from '../report/report.model';
import type { CohortReport, EvaluationReport, Figure, LineReport, ReportTable } from '../report/report.model';

/**
 * What an evaluator can work out from every report they obtained, taken together: each published figure is a
 * linear equation over the month-level counts (a quarter's cell is the sum of its months' cells, a row total the
 * sum of its cells, a cohort's "reached" figure a sum of its partition's rows), plus what anyone knows of the
 * tables' structure (every contact table of a month adds up to the month's contacts, every cohort column to the
 * month's first contacts). A hidden figure is recoverable when its vector lies in the span of those equations.
 *
 * The month-level counts ("atoms") and their true values come from the lines' full monthly reports. Exact
 * arithmetic modulo a prime: recoverability over the rationals implies it modulo p, so nothing is missed.
 */
export class EvaluatorKnowledge {
  private readonly truth = new Map<string, number>();
  /** Per line and month, each table's rows and columns as the full monthly report has them. */
  private readonly layouts = new Map<string, { rows: readonly string[]; columns: readonly string[] }>();
  private readonly atomIndex = new Map<string, number>();
  private readonly pivots: Array<{ column: number; row: Map<number, number> }> = [];
  private readonly pivotColumns = new Set<number>();
  private readonly seen = new Set<string>();
  private readonly hidden: Array<{ label: string; vector: Map<number, number>; value: number }> = [];
  readonly mismatches: string[] = [];

  constructor(private readonly threshold: number) {}

  /** A line's full report for one month: the true counts. */
  addTruth(report: EvaluationReport): void {
    const [month] = report.period.months;
    if (report.audience !== 'line' || report.period.months.length !== 1 || month === undefined)
      throw new Error('the truth comes from full monthly reports');
    for (const line of report.lines) {
      for (const table of line.tables) {
        this.layouts.set(`${line.lineId}|${month}|${table.id}`, { rows: table.rows, columns: table.columns });
        table.rows.forEach((row, r) =>
          table.columns.forEach((column, c) =>
            this.truth.set(atom(line.lineId, month, table.id, row, column), table.cells[r]![c]!),
          ),
        );
      }
      for (const cohort of line.cohorts) {
        cohort.phases.rows.forEach((row, r) =>
          cohort.horizons.forEach((h, c) =>
            this.truth.set(atom(line.lineId, cohort.month, 'cohort-phase', row, h), cohort.phases.cells[r]![c]!),
          ),
        );
        cohort.referrals.rows.forEach((row, r) =>
          cohort.horizons.forEach((h, c) =>
            this.truth.set(atom(line.lineId, cohort.month, 'cohort-referral', row, h), cohort.referrals.cells[r]![c]!),
          ),
        );
      }
      for (const indicator of line.indicators)
        if (indicator.id.startsWith('median'))
          this.truth.set(atom(line.lineId, month, 'n', indicator.id, ''), indicator.n!);
      this.addStructure(line, month);
    }
  }

  /** A report the evaluator obtained. */
  addReport(report: EvaluationReport): void {
    const months = report.period.months;
    for (const line of report.lines) {
      const label = (what: string) =>
        `${report.period.from}..${report.period.to}${report.asOf ? ` as of ${report.asOf}` : ''} ${line.lineId} ${what}`;
      for (const table of line.tables) this.addTable(line.lineId, months, table, label);
      for (const cohort of line.cohorts) this.addCohort(line.lineId, cohort, label);
      this.addIndicators(line, months, label);
    }
  }

  /** The hidden figures below the threshold that the equations determine. */
  recoverable(): string[] {
    return this.hidden
      .filter((figure) => this.reduce(figure.vector).size === 0)
      .map((figure) => `${figure.label} = ${figure.value}`);
  }

  /** How many hidden small figures were checked (a check of nothing proves nothing). */
  get hiddenSmallFigures(): number {
    return this.hidden.length;
  }

  private addTable(lineId: string, months: readonly string[], table: ReportTable, label: (what: string) => string) {
    const cells = (
      pick: (layout: { rows: readonly string[]; columns: readonly string[] }) => Array<[string, string]>,
    ) =>
      sum(
        months.flatMap((month) => {
          const layout = this.layouts.get(`${lineId}|${month}|${table.id}`);
          return layout ? pick(layout).map(([row, column]) => atom(lineId, month, table.id, row, column)) : [];
        }),
      );
    table.rows.forEach((row, r) => {
      table.columns.forEach((column, c) =>
        this.figure(
          label(`${table.id}[${row}][${column}]`),
          cells(() => [[row, column]]),
          table.cells[r]![c]!,
        ),
      );
      if (table.rowTotals)
        this.figure(
          label(`${table.id}[${row}][total]`),
          cells((layout) => layout.columns.map((column) => [row, column])),
          table.rowTotals[r]!,
        );
    });
    if (table.columnTotals)
      table.columns.forEach((column, c) =>
        this.figure(
          label(`${table.id}[total][${column}]`),
          cells((layout) => layout.rows.map((row) => [row, column])),
          table.columnTotals![c]!,
        ),
      );
    this.figure(
      label(`${table.id}[total]`),
      cells((layout) => layout.rows.flatMap((row) => layout.columns.map((column): [string, string] => [row, column]))),
      table.total,
    );
  }

  private addCohort(lineId: string, cohort: CohortReport, label: (what: string) => string) {
    const cell = (part: 'phase' | 'referral', row: string, h: number) =>
      atom(lineId, cohort.month, `cohort-${part}`, row, h);
    this.figure(
      label(`cohort ${cohort.month} size`),
      sum([atom(lineId, cohort.month, 'contacts_by_month', cohort.month, 'first')]),
      cohort.size,
    );
    cohort.horizons.forEach((h, c) => {
      cohort.phases.rows.forEach((row, r) =>
        this.figure(
          label(`cohort ${cohort.month} ${row} ${h}`),
          sum([cell('phase', row, h)]),
          cohort.phases.cells[r]![c]!,
        ),
      );
      cohort.referrals.rows.forEach((row, r) =>
        this.figure(
          label(`cohort ${cohort.month} ${row} ${h}`),
          sum([cell('referral', row, h)]),
          cohort.referrals.cells[r]![c]!,
        ),
      );
      cohort.reached.phases.rows.forEach((phase, r) => {
        const from = (PHASE_PROGRESS as readonly string[]).indexOf(phase);
        const rows = PHASE_PROGRESS.filter((_, index) => index >= from);
        this.figure(
          label(`cohort ${cohort.month} reached ${phase} ${h}`),
          sum(rows.map((row) => cell('phase', row, h))),
          cohort.reached.phases.cells[r]![c]!,
        );
      });
      cohort.reached.referrals.rows.forEach((step, r) => {
        const from = (REFERRAL_PROGRESS as readonly string[]).indexOf(step);
        const rows = step === 'declined' ? ['declined'] : REFERRAL_PROGRESS.filter((_, index) => index >= from);
        this.figure(
          label(`cohort ${cohort.month} reached ${step} ${h}`),
          sum(rows.map((row) => cell('referral', row, h))),
          cohort.reached.referrals.cells[r]![c]!,
        );
      });
    });
  }

  private addIndicators(line: LineReport, months: readonly string[], label: (what: string) => string) {
    const steps = (row: string) => months.map((month) => atom(line.lineId, month, 'referral_steps', row, 'referrals'));
    const hours = (row: string) =>
      months.flatMap((month) =>
        ['first', 'follow_up'].map((kind) => atom(line.lineId, month, 'contacts_by_hours', row, kind)),
      );
    for (const indicator of line.indicators) {
      const vector =
        indicator.id === 'handoff_acceptance_rate'
          ? sum([...steps('accepted'), ...steps('declined')])
          : indicator.id === 'out_of_hours_recovery_rate'
            ? sum([...hours('out_of_hours_recovered'), ...hours('out_of_hours_not_recovered')])
            : sum(months.map((month) => atom(line.lineId, month, 'n', indicator.id, '')));
      this.figure(label(`${indicator.id} n`), vector, indicator.n);
    }
  }

  /** What everyone knows of the tables: each adds up to the month's contacts, first contacts or cohort. */
  private addStructure(line: LineReport, month: string) {
    const contacts = (kind: string) => atom(line.lineId, month, 'contacts_by_month', month, kind);
    for (const table of line.tables) {
      if (table.id === 'contacts_by_month' || table.id === 'referral_steps' || table.id === 'closings_by_outcome')
        continue;
      for (const column of table.columns) {
        const total = column === 'cases' ? contacts('first') : contacts(column);
        const parts = sum(table.rows.map((row) => atom(line.lineId, month, table.id, row, column)));
        this.equation(this.indices(parts.set(total, -1)));
      }
    }
    for (const h of COHORT_HORIZONS)
      for (const [part, rows] of [
        ['phase', PHASE_PROGRESS],
        ['referral', REFERRAL_PROGRESS],
      ] as const) {
        const parts = sum(rows.map((row) => atom(line.lineId, month, `cohort-${part}`, row, h)));
        this.equation(this.indices(parts.set(contacts('first'), -1)));
      }
  }

  private indices(atoms: Map<string, number>): Map<number, number> {
    return new Map([...atoms].map(([key, coefficient]) => [this.index(key), coefficient]));
  }

  private figure(label: string, atoms: Map<string, number>, published: Figure) {
    const vector = new Map<number, number>();
    let value = 0;
    for (const [key, coefficient] of atoms) {
      const truth = this.truth.get(key);
      if (truth === undefined) continue; // a row the month does not have: a known zero
      value += coefficient * truth;
      vector.set(this.index(key), coefficient);
    }
    if (published !== null) {
      if (published !== value) this.mismatches.push(`${label}: published ${published}, the months give ${value}`);
      this.equation(vector);
    } else if (value > 0 && value < this.threshold && vector.size > 0) this.hidden.push({ label, vector, value });
  }

  private index(key: string): number {
    let index = this.atomIndex.get(key);
    if (index === undefined) {
      index = this.atomIndex.size;
      this.atomIndex.set(key, index);
    }
    return index;
  }

  /** Adds a known combination (its value is known; only its coefficients matter for what it determines). */
  private equation(vector: Map<number, number>) {
    const key = [...vector]
      .sort((a, b) => a[0] - b[0])
      .map(([i, c]) => `${i}:${c}`)
      .join(',');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const reduced = this.reduce(vector);
    if (reduced.size === 0) return;
    const column = Math.min(...reduced.keys());
    const inverse = modInverse(reduced.get(column)!);
    for (const [i, c] of reduced) reduced.set(i, mulMod(c, inverse));
    this.pivots.push({ column, row: reduced });
    this.pivotColumns.add(column);
  }

  /** The vector less its part in the span of the equations so far (empty when it lies in it). */
  private reduce(vector: Map<number, number>): Map<number, number> {
    const result = new Map<number, number>();
    for (const [i, c] of vector) {
      const value = mod(c);
      if (value !== 0) result.set(i, value);
    }
    // Each pivot row is zero at the pivot columns before it: one pass in insertion order reduces completely.
    for (const { column, row } of this.pivots) {
      const factor = result.get(column);
      if (factor === undefined) continue;
      for (const [i, c] of row) {
        const next = mod((result.get(i) ?? 0) - mulMod(factor, c));
        if (next === 0) result.delete(i);
        else result.set(i, next);
      }
    }
    return result;
  }
}

const PRIME = 1_000_003;
const mod = (value: number) => ((value % PRIME) + PRIME) % PRIME;
const mulMod = (a: number, b: number) => mod(mod(a) * mod(b));
function modInverse(value: number): number {
  let result = 1;
  let base = mod(value);
  for (let exponent = PRIME - 2; exponent > 0; exponent = Math.floor(exponent / 2)) {
    if (exponent % 2 === 1) result = mulMod(result, base);
    base = mulMod(base, base);
  }
  return result;
}

function atom(lineId: string, month: string, table: string, row: string, column: string | number): string {
  return `${lineId}|${month}|${table}|${row}|${column}`;
}

function sum(keys: readonly string[]): Map<string, number> {
  const vector = new Map<string, number>();
  for (const key of keys) vector.set(key, (vector.get(key) ?? 0) + 1);
  return vector;
}
