/**
 * Small-cell suppression with complementary suppression, for a table of counts that leaves the units (evaluators'
 * and directors' exports).
 *
 * 1. Primary: every published count below the threshold is hidden, totals included, zeros included. A zero is not
 *    shown either: in a table of a handful of units "none" tells as much as "one" (no declined request for a unit
 *    in a month), and a visible zero next to a hidden cell makes the hidden one easy to bound.
 * 2. Complementary: a published total turns its row (or column) into an equation. A line holding exactly one hidden
 *    entry would give it away (total minus the rest), so one more entry of that line is hidden: the smallest of the
 *    cells still shown (a total only when no cell is left), preferring one whose crossing line also needs a second.
 *    And since counts are never negative, hidden entries of a line that add up to zero under a shown total would
 *    all be known to be zero: such a line hides one more entry that is not zero. This repeats until every line has
 *    no hidden entry, or at least two that do not add up to zero.
 * 3. With totals on both sides (a two-way table), two hidden entries per line are not always enough: a hidden cell
 *    that joins two otherwise separate groups of hidden cells (a bridge in the graph of rows and columns it links)
 *    can still be solved from the totals. Each such cell gets one more hidden cell beside it that closes a cycle.
 *
 * Only the lines that have a total are equations: with column totals only, the rule applies to columns. What is
 * returned holds `null` for every hidden entry; the raw counts never leave this function.
 */

export interface CountTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** `values[row][column]`: whole, non-negative counts. */
  readonly values: ReadonlyArray<ReadonlyArray<number>>;
  /** Publish each row's total: only when the columns add up to something meaningful (a partition). */
  readonly rowTotals?: boolean;
  /** Publish each column's total over the rows. */
  readonly columnTotals?: boolean;
}

export interface SuppressedTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly values: Array<Array<number | null>>;
  /** Null when row totals are not published; otherwise each row's total or null where hidden. */
  readonly rowTotals: Array<number | null> | null;
  readonly columnTotals: Array<number | null> | null;
  /** Published only with totals on both sides. */
  readonly grandTotal: number | null | undefined;
  /** How many entries were hidden because they were small, and how many to protect them. */
  readonly suppressed: { readonly primary: number; readonly complementary: number };
}

interface Entry {
  readonly row: number;
  readonly column: number;
  readonly value: number;
  readonly total: boolean;
}

export function suppressSmallCells(table: CountTable, threshold: number): SuppressedTable {
  if (!Number.isInteger(threshold) || threshold < 1)
    throw new RangeError('threshold must be a whole number of at least 1');
  const { rows, columns, values } = table;
  if (values.length !== rows.length || values.some((line) => line.length !== columns.length)) {
    throw new RangeError('values must have one line per row and one value per column');
  }
  if (values.some((line) => line.some((value) => !Number.isInteger(value) || value < 0)))
    throw new RangeError('values must be whole, non-negative counts');

  // The published grid: the cells, then a column of row totals and a row of column totals when asked for.
  const withRowTotals = table.rowTotals === true;
  const withColumnTotals = table.columnTotals === true;
  const height = rows.length + (withColumnTotals ? 1 : 0);
  const width = columns.length + (withRowTotals ? 1 : 0);
  const grid: Entry[][] = [];
  for (let row = 0; row < height; row++) {
    const gridRow: Entry[] = [];
    for (let column = 0; column < width; column++) {
      const totalRow = withColumnTotals && row === rows.length;
      const totalColumn = withRowTotals && column === columns.length;
      const summed = totalRow ? values : [valueAt(values, row)];
      const value = sum(summed.map((line) => (totalColumn ? sum(line) : valueAt(line, column))));
      gridRow.push({ row, column, value, total: totalRow || totalColumn });
    }
    grid.push(gridRow);
  }
  const entryAt = (row: number, column: number): Entry => valueAt(valueAt(grid, row), column);

  const hidden = new Set(grid.flat().filter((entry) => entry.value < threshold));
  const primary = hidden.size;

  // Lines that are equations: every grid row when row totals are published, every grid column with column totals.
  const lines: Entry[][] = [
    ...(withRowTotals ? grid : []),
    ...(withColumnTotals
      ? Array.from({ length: width }, (_, column) => grid.map((line) => valueAt(line, column)))
      : []),
  ];
  const isHidden = (entry: Entry) => hidden.has(entry);
  const hiddenIn = (line: readonly Entry[]) => line.filter(isHidden).length;
  const crossing = (entry: Entry, line: readonly Entry[]) =>
    lines.filter((other) => other !== line && other.includes(entry));

  const preference = (line: readonly Entry[]) => (a: Entry, b: Entry) =>
    Number(a.total) - Number(b.total) ||
    a.value - b.value ||
    Number(crossing(b, line).some((l) => hiddenIn(l) === 1)) -
      Number(crossing(a, line).some((l) => hiddenIn(l) === 1)) ||
    a.row - b.row ||
    a.column - b.column;

  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const hiddenEntries = line.filter(isHidden);
      const margin = valueAt(line, line.length - 1);
      let candidates: Entry[] = [];
      if (hiddenEntries.length === 1) {
        candidates = line.filter((entry) => !isHidden(entry));
      } else if (
        hiddenEntries.length > 1 &&
        !isHidden(margin) &&
        sum(hiddenEntries.map((entry) => entry.value)) === 0
      ) {
        // Counts are never negative: hidden entries that add up to the shown total minus the shown cells, zero,
        // would all be known to be zero. One more, not zero, is hidden with them.
        candidates = line.filter((entry) => !isHidden(entry) && (entry.value > 0 || entry === margin));
      }
      const best = candidates.sort(preference(line))[0];
      if (!best) continue;
      hidden.add(best);
      changed = true;
    }
    if (!changed && withRowTotals && withColumnTotals) changed = closeOneBridge(grid, entryAt, hidden);
  }

  const shown = (entry: Entry) => (hidden.has(entry) ? null : entry.value);
  const cellRows = grid.slice(0, rows.length);
  return {
    rows,
    columns,
    values: cellRows.map((line) => line.slice(0, columns.length).map(shown)),
    rowTotals: withRowTotals ? cellRows.map((line) => shown(valueAt(line, columns.length))) : null,
    columnTotals: withColumnTotals ? valueAt(grid, rows.length).slice(0, columns.length).map(shown) : null,
    grandTotal: withRowTotals && withColumnTotals ? shown(entryAt(rows.length, columns.length)) : undefined,
    suppressed: { primary, complementary: hidden.size - primary },
  };
}

/**
 * Hidden entries are edges between their grid row and grid column. An edge on no cycle (a bridge) can be solved from
 * the totals; hide the smallest shown entry that puts it on one: in its row, at a column the bridge's column still
 * reaches without it, or in its column, at such a row. Returns whether it hid something.
 */
function closeOneBridge(grid: Entry[][], entryAt: (row: number, column: number) => Entry, hidden: Set<Entry>): boolean {
  const edges = grid.flat().filter((entry) => hidden.has(entry));
  for (const bridge of edges) {
    const others = edges.filter((edge) => edge !== bridge);
    const nearSide = reachable(others, { row: bridge.row });
    if (nearSide.columns.has(bridge.column)) continue; // on a cycle already
    const farSide = reachable(others, { column: bridge.column });
    // A hidden cell joining the two sides closes a cycle through the bridge: in the bridge's row at a column of the
    // far side, or in the bridge's column at a row of the near side.
    const closing = [
      ...[...farSide.columns].filter((column) => column !== bridge.column).map((column) => entryAt(bridge.row, column)),
      ...[...nearSide.rows].filter((row) => row !== bridge.row).map((row) => entryAt(row, bridge.column)),
    ].filter((entry) => !hidden.has(entry));
    const best = closing.sort(
      (a, b) => Number(a.total) - Number(b.total) || a.value - b.value || a.row - b.row || a.column - b.column,
    )[0];
    if (!best) continue;
    hidden.add(best);
    return true;
  }
  return false;
}

function reachable(
  edges: readonly Entry[],
  start: { row?: number; column?: number },
): { rows: Set<number>; columns: Set<number> } {
  const rows = new Set<number>(start.row === undefined ? [] : [start.row]);
  const columns = new Set<number>(start.column === undefined ? [] : [start.column]);
  for (let grew = true; grew;) {
    grew = false;
    for (const edge of edges) {
      const hasRow = rows.has(edge.row);
      const hasColumn = columns.has(edge.column);
      if (hasRow !== hasColumn) {
        rows.add(edge.row);
        columns.add(edge.column);
        grew = true;
      }
    }
  }
  return { rows, columns };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The grid is rectangular by construction; an index outside it is a defect. */
function valueAt<T>(line: readonly T[], index: number): T {
  const value = line[index];
  if (value === undefined) throw new RangeError(`no entry at index ${index}`);
  return value;
}
