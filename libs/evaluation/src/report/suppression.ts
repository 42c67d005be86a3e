/**
 * Small-cell suppression with complementary suppression, for a set of tables published together.
 *
 * A table is a set of cells tied by additive equations: each row with a row total, each column with a column
 * total, the totals with the grand total. Cells that appear in several tables (a month's first contacts is both a
 * cell of the contacts-by-month table and the size of that month's cohort) carry the same id, so they are one
 * variable and are suppressed everywhere or nowhere.
 *
 * 1. Primary: every cell with 0 < value < threshold.
 * 2. Complementary, line by line: no equation may hold exactly one suppressed cell (it would be its total minus
 *    the published cells), and when the total of an equation is published the suppressed cells of that equation
 *    must add up to 0 or at least the threshold (otherwise their sum is itself a small cell).
 * 3. Audit: the published figures and all the equations together must not determine any suppressed cell. A cell
 *    is determined exactly when its unit vector lies in the row space of the equations restricted to the
 *    suppressed cells; each determined cell gets one more complementary cell, until none is.
 * Complementary cells are chosen among the cells of the offending equation: inner cells before totals, totals
 * before shared cells, a choice that makes the equation safe first, then non-zero, then the smallest value, then
 * the earliest cell. Every step is deterministic.
 */

export interface SuppressionCell {
  readonly id: string;
  readonly value: number;
  /** 0: an inner cell; 1: a total of this table; 2: a cell shared with other tables (suppressed last). */
  readonly rank: number;
}

/** `total = sum(parts)`. */
export interface SuppressionEquation {
  readonly total: string;
  readonly parts: readonly string[];
}

export interface SuppressionProblem {
  readonly cells: readonly SuppressionCell[];
  readonly equations: readonly SuppressionEquation[];
  readonly threshold: number;
  /**
   * Cells already released: their decision stands (those in `suppressed` stay hidden, the others published), and
   * only the other cells may be suppressed to protect the whole system, old and new equations together.
   */
  readonly released?: { readonly ids: ReadonlySet<string>; readonly suppressed: ReadonlySet<string> };
}

export interface SuppressionResult {
  readonly suppressed: ReadonlySet<string>;
  readonly primary: ReadonlySet<string>;
  readonly complementary: ReadonlySet<string>;
}

export function suppress(problem: SuppressionProblem): SuppressionResult {
  const { threshold } = problem;
  const cells = new Map<string, SuppressionCell & { order: number }>();
  problem.cells.forEach((cell, order) => {
    const known = cells.get(cell.id);
    if (known && known.value !== cell.value) throw new Error(`cell ${cell.id} has two values`);
    if (!known) cells.set(cell.id, { ...cell, order });
    else if (cell.rank > known.rank) cells.set(cell.id, { ...known, rank: cell.rank });
  });
  for (const equation of problem.equations) {
    for (const id of [equation.total, ...equation.parts])
      if (!cells.has(id)) throw new Error(`equation names unknown cell ${id}`);
  }
  const released = problem.released ?? { ids: new Set<string>(), suppressed: new Set<string>() };
  const primary = new Set(
    [...cells.values()]
      .filter((cell) => !released.ids.has(cell.id) && cell.value > 0 && cell.value < threshold)
      .map((cell) => cell.id),
  );
  const suppressed = new Set([...primary, ...released.suppressed]);

  const pick = (members: readonly string[], needed: number): string | undefined => {
    const candidates = members.filter((id) => !suppressed.has(id) && !released.ids.has(id)).map((id) => cells.get(id)!);
    if (candidates.length === 0) return undefined;
    candidates.sort(
      (a, b) =>
        a.rank - b.rank ||
        Number(a.value < needed) - Number(b.value < needed) ||
        Number(a.value === 0) - Number(b.value === 0) ||
        a.value - b.value ||
        a.order - b.order,
    );
    return candidates[0]?.id;
  };

  for (let guard = 0; guard <= cells.size + 1; guard++) {
    if (lineRulesHold(problem.equations, cells, suppressed, threshold, pick, released.ids)) {
      const determined = determinedCells(problem.equations, suppressed);
      if (determined.length === 0) break;
      const [target] = determined.sort((a, b) => cells.get(a)!.order - cells.get(b)!.order);
      if (target === undefined) break;
      const members = unique(
        problem.equations
          .filter((eq) => eq.total === target || eq.parts.includes(target))
          .flatMap((eq) => [eq.total, ...eq.parts]),
      );
      const choice = pick(members, 0) ?? pick([...cells.keys()], 0);
      if (!choice) break;
      suppressed.add(choice);
    }
  }
  const complementary = new Set([...suppressed].filter((id) => !primary.has(id) && !released.suppressed.has(id)));
  return { suppressed, primary, complementary };
}

/** Adds one complementary cell to the first equation that breaks a line rule; true when every line holds. */
function lineRulesHold(
  equations: readonly SuppressionEquation[],
  cells: ReadonlyMap<string, SuppressionCell>,
  suppressed: Set<string>,
  threshold: number,
  pick: (members: readonly string[], needed: number) => string | undefined,
  released: ReadonlySet<string>,
): boolean {
  for (const equation of equations) {
    const members = [equation.total, ...equation.parts];
    const hidden = members.filter((id) => suppressed.has(id));
    if (hidden.length === 0) continue;
    const hiddenParts = equation.parts.filter((id) => suppressed.has(id));
    const hiddenSum = hiddenParts.reduce((sum, id) => sum + cells.get(id)!.value, 0);
    const smallSum = !suppressed.has(equation.total) && hiddenSum > 0 && hiddenSum < threshold;
    if (hidden.length === 1 || smallSum) {
      const choice = pick(hidden.length === 1 ? members : equation.parts, threshold - hiddenSum);
      if (choice) {
        suppressed.add(choice);
        return false;
      }
      if (hidden.length === 1 && !suppressed.has(equation.total) && !released.has(equation.total)) {
        suppressed.add(equation.total);
        return false;
      }
    }
  }
  return true;
}

/**
 * The suppressed cells that the equations pin down, given every published cell: those whose unit vector is in
 * the row space of the equation matrix restricted to the suppressed cells (Gaussian elimination; the
 * coefficients are small integers and the tables small, so floating point with a tolerance is exact enough).
 */
export function determinedCells(equations: readonly SuppressionEquation[], suppressed: ReadonlySet<string>): string[] {
  const variables = [...suppressed];
  if (variables.length === 0) return [];
  const index = new Map(variables.map((id, i) => [id, i]));
  const rows: number[][] = [];
  for (const equation of equations) {
    const row = new Array<number>(variables.length).fill(0);
    let any = false;
    const add = (id: string, coefficient: number) => {
      const i = index.get(id);
      if (i === undefined) return;
      row[i] = row[i]! + coefficient;
      any = true;
    };
    add(equation.total, 1);
    for (const part of equation.parts) add(part, -1);
    if (any) rows.push(row);
  }
  const reduced = reducedRowEchelon(rows, variables.length);
  const determined: string[] = [];
  for (const row of reduced) {
    const nonZero = row.flatMap((value, i) => (Math.abs(value) > 1e-9 ? [i] : []));
    if (nonZero.length === 1) determined.push(variables[nonZero[0]!]!);
  }
  return determined;
}

/** Every row of `input` has `width` entries; the indices below stay inside the matrix. */
function reducedRowEchelon(input: number[][], width: number): number[][] {
  const rows = input.map((row) => [...row]);
  let lead = 0;
  for (let top = 0; top < rows.length && lead < width; lead++) {
    let pivot = top;
    while (pivot < rows.length && Math.abs(rows[pivot]![lead]!) < 1e-9) pivot++;
    if (pivot === rows.length) continue;
    [rows[top], rows[pivot]] = [rows[pivot]!, rows[top]!];
    const divisor = rows[top]![lead]!;
    const pivotRow = rows[top]!.map((value) => value / divisor);
    rows[top] = pivotRow;
    for (let other = 0; other < rows.length; other++) {
      if (other === top) continue;
      const factor = rows[other]![lead]!;
      if (Math.abs(factor) < 1e-9) continue;
      rows[other] = rows[other]!.map((value, column) => value - factor * pivotRow[column]!);
    }
    top++;
  }
  return rows.filter((row) => row.some((value) => Math.abs(value) > 1e-9));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

// ---- tables as suppression problems ----

/**
 * A two-way table (or a one-column list) and the ids of its cells. `cellIds[r][c]`, `rowTotalIds[r]`,
 * `columnTotalIds[c]` and `grandTotalId` name the cells; an id used by another table makes the cell shared.
 */
export interface TableShape {
  readonly cells: readonly (readonly number[])[];
  readonly cellIds: readonly (readonly string[])[];
  readonly rowTotals?: readonly number[];
  readonly rowTotalIds?: readonly string[];
  readonly columnTotals?: readonly number[];
  readonly columnTotalIds?: readonly string[];
  readonly grandTotal?: number;
  readonly grandTotalId?: string;
}

/** The cells and equations of a table, for `suppress`. */
export function tableProblem(
  table: TableShape,
  sharedIds: ReadonlySet<string>,
): { cells: SuppressionCell[]; equations: SuppressionEquation[] } {
  const cells: SuppressionCell[] = [];
  const equations: SuppressionEquation[] = [];
  const rankOf = (id: string, base: number) => (sharedIds.has(id) ? 2 : base);
  const cellIdAt = (row: number, column: number) => idAt(table.cellIds[row], column, `cell ${row},${column}`);
  const cellIdRow = (row: number) => {
    const ids = table.cellIds[row];
    if (!ids) throw new Error(`table has no ids for row ${row}`);
    return ids;
  };
  table.cells.forEach((row, rowIndex) =>
    row.forEach((value, column) => {
      const id = cellIdAt(rowIndex, column);
      cells.push({ id, value, rank: rankOf(id, 0) });
    }),
  );
  const { rowTotals, rowTotalIds, columnTotals, columnTotalIds } = table;
  if (rowTotals && rowTotalIds) {
    rowTotals.forEach((value, row) => {
      const id = idAt(rowTotalIds, row, `row total ${row}`);
      cells.push({ id, value, rank: rankOf(id, 1) });
      equations.push({ total: id, parts: cellIdRow(row) });
    });
  }
  if (columnTotals && columnTotalIds) {
    columnTotals.forEach((value, column) => {
      const id = idAt(columnTotalIds, column, `column total ${column}`);
      cells.push({ id, value, rank: rankOf(id, 1) });
      equations.push({ total: id, parts: table.cellIds.map((_, row) => cellIdAt(row, column)) });
    });
  }
  if (table.grandTotal !== undefined && table.grandTotalId) {
    cells.push({ id: table.grandTotalId, value: table.grandTotal, rank: rankOf(table.grandTotalId, 1) });
    if (table.rowTotalIds) equations.push({ total: table.grandTotalId, parts: table.rowTotalIds });
    if (table.columnTotalIds) equations.push({ total: table.grandTotalId, parts: table.columnTotalIds });
  }
  return { cells, equations };
}

function idAt(ids: readonly string[] | undefined, index: number, what: string): string {
  const id = ids?.[index];
  if (id === undefined) throw new Error(`table has no id for ${what}`);
  return id;
}
