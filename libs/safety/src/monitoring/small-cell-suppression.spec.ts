import fc from 'fast-check';
import { suppressSmallCells, type CountTable, type SuppressedTable } from './small-cell-suppression';

/** The published grid with totals in place (null where hidden), as an attacker holding the export sees it. */
function publishedGrid(table: CountTable, result: SuppressedTable): Array<Array<number | null>> {
  const grid = result.values.map((line, row) => (result.rowTotals ? [...line, result.rowTotals[row]!] : [...line]));
  if (result.columnTotals)
    grid.push(result.rowTotals ? [...result.columnTotals, result.grandTotal ?? null] : [...result.columnTotals]);
  return grid;
}

function trueGrid(table: CountTable): number[][] {
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const grid = table.values.map((line) => (table.rowTotals ? [...line, sum(line)] : [...line]));
  if (table.columnTotals) {
    const totals = table.columns.map((_, column) => sum(table.values.map((line) => line[column]!)));
    grid.push(table.rowTotals ? [...totals, sum(totals)] : totals);
  }
  return grid;
}

/**
 * What an attacker can pin down from the export: the hidden entries whose value follows exactly from the published
 * ones and the totals' equations (Gaussian elimination over every line that has a total), and those of a line whose
 * hidden entries must add up to zero (counts are never negative).
 */
function disclosedEntries(table: CountTable, result: SuppressedTable): string[] {
  const published = publishedGrid(table, result);
  const height = published.length;
  const width = published[0]?.length ?? 0;
  const unknowns: Array<[number, number]> = [];
  published.forEach((line, row) => line.forEach((value, column) => value === null && unknowns.push([row, column])));
  const indexOf = new Map(unknowns.map(([row, column], index) => [`${row},${column}`, index]));
  const equations: Array<{ coefficients: number[]; constant: number }> = [];
  const addLine = (cells: Array<[number, number]>) => {
    // Every cell of the line but the last adds up to the last (its total).
    const coefficients = new Array<number>(unknowns.length).fill(0);
    let constant = 0;
    cells.forEach(([row, column], position) => {
      const sign = position === cells.length - 1 ? -1 : 1;
      const value = published[row]![column];
      if (value === null) coefficients[indexOf.get(`${row},${column}`)!]! += sign;
      else constant -= sign * value!;
    });
    equations.push({ coefficients, constant });
  };
  if (table.rowTotals)
    for (let row = 0; row < height; row++) addLine(Array.from({ length: width }, (_, column) => [row, column]));
  if (table.columnTotals)
    for (let column = 0; column < width; column++) addLine(Array.from({ length: height }, (_, row) => [row, column]));

  const disclosed = new Set<string>();
  for (const { coefficients, constant } of equations) {
    const involved = coefficients.map((c, index) => (c !== 0 ? index : -1)).filter((index) => index >= 0);
    if (involved.length > 0 && constant === 0 && involved.every((index) => coefficients[index]! > 0))
      involved.forEach((index) => disclosed.add(unknowns[index]!.join(',')));
  }
  // Reduced row echelon form: an unknown is determined when some reduced row has it as its only unknown.
  const rows = equations.map(({ coefficients }) => [...coefficients]);
  let pivotRow = 0;
  for (let column = 0; column < unknowns.length && pivotRow < rows.length; column++) {
    const found = rows.findIndex((row, index) => index >= pivotRow && Math.abs(row[column]!) > 1e-9);
    if (found < 0) continue;
    [rows[pivotRow], rows[found]] = [rows[found]!, rows[pivotRow]!];
    const pivot = rows[pivotRow]![column];
    rows[pivotRow] = rows[pivotRow]!.map((value) => value / pivot!);
    rows.forEach((row, index) => {
      if (index === pivotRow || Math.abs(row[column]!) < 1e-9) return;
      const factor = row[column];
      rows[index] = row.map((value, at) => value - factor! * rows[pivotRow]![at]!);
    });
    pivotRow++;
  }
  for (const row of rows) {
    const nonZero = row.map((value, index) => (Math.abs(value) > 1e-9 ? index : -1)).filter((index) => index >= 0);
    if (nonZero.length === 1) disclosed.add(unknowns[nonZero[0]!]!.join(','));
  }
  return [...disclosed];
}

describe('small-cell suppression', () => {
  it('hides every count below the threshold, zeros and totals included, and leaves the others as they are', () => {
    const result = suppressSmallCells(
      { rows: ['a', 'b', 'c'], columns: ['x'], values: [[7], [9], [12]], columnTotals: true },
      5,
    );
    expect(result.values).toEqual([[7], [9], [12]]);
    expect(result.columnTotals).toEqual([28]);
    const small = suppressSmallCells(
      {
        rows: ['a', 'b'],
        columns: ['x', 'y'],
        values: [
          [0, 6],
          [3, 8],
        ],
      },
      5,
    );
    expect(small.values).toEqual([
      [null, 6],
      [null, 8],
    ]);
    expect(small.suppressed).toEqual({ primary: 2, complementary: 0 });
  });

  it('hides a second cell of a column whose total would give a single hidden cell away: the smallest one', () => {
    const result = suppressSmallCells(
      { rows: ['a', 'b', 'c', 'd'], columns: ['sent'], values: [[2], [11], [7], [30]], columnTotals: true },
      5,
    );
    expect(result.values).toEqual([[null], [11], [null], [30]]);
    expect(result.columnTotals).toEqual([50]);
    expect(result.suppressed).toEqual({ primary: 1, complementary: 1 });
  });

  it('does not leave zeros known to be zero: hidden cells adding up to nothing under a shown total get a non-zero companion', () => {
    const result = suppressSmallCells(
      { rows: ['a', 'b', 'c', 'd'], columns: ['x'], values: [[0], [0], [9], [12]], columnTotals: true },
      5,
    );
    expect(result.values).toEqual([[null], [null], [null], [12]]);
    expect(result.columnTotals).toEqual([21]);
  });

  it('protects a two-way table on every line: rows, columns and the totals themselves', () => {
    const table: CountTable = {
      rows: ['unit-1', 'unit-2', 'unit-3'],
      columns: ['verbal', 'physical', 'threat'],
      values: [
        [12, 3, 9],
        [8, 10, 14],
        [11, 7, 6],
      ],
      rowTotals: true,
      columnTotals: true,
    };
    const result = suppressSmallCells(table, 5);
    expect(result.values[0]![1]).toBeNull();
    for (const line of publishedGrid(table, result))
      expect([0, 2, 3, 4]).toContain(line.filter((v) => v === null).length);
    expect(disclosedEntries(table, result)).toEqual([]);
  });

  it('never lets the totals reveal a hidden count, for any table (property)', () => {
    const tables = fc
      .record({
        rows: fc.integer({ min: 1, max: 5 }),
        columns: fc.integer({ min: 1, max: 5 }),
        margins: fc.constantFrom('both', 'columns', 'rows'),
      })
      .chain(({ rows, columns, margins }) =>
        fc.record({
          table: fc
            .array(
              fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })), {
                minLength: columns,
                maxLength: columns,
              }),
              { minLength: rows, maxLength: rows },
            )
            .map((values): CountTable => ({
              rows: values.map((_, index) => `r${index}`),
              columns: values[0]!.map((_, index) => `c${index}`),
              values,
              rowTotals: margins !== 'columns',
              columnTotals: margins !== 'rows',
            })),
          threshold: fc.integer({ min: 2, max: 6 }),
        }),
      );
    fc.assert(
      fc.property(tables, ({ table, threshold }) => {
        const result = suppressSmallCells(table, threshold);
        const truth = trueGrid(table);
        const published = publishedGrid(table, result);
        published.forEach((line, row) =>
          line.forEach((value, column) => {
            // Shown values are the true ones, and nothing below the threshold is shown.
            if (value !== null) {
              expect(value).toBe(truth[row]![column]);
              expect(value).toBeGreaterThanOrEqual(threshold);
            }
          }),
        );
        expect(disclosedEntries(table, result)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a table that does not add up to a table, and a threshold below 1', () => {
    expect(() => suppressSmallCells({ rows: ['a'], columns: ['x', 'y'], values: [[1]] }, 5)).toThrow(RangeError);
    expect(() => suppressSmallCells({ rows: ['a'], columns: ['x'], values: [[-1]] }, 5)).toThrow(RangeError);
    expect(() => suppressSmallCells({ rows: ['a'], columns: ['x'], values: [[1]] }, 0)).toThrow(RangeError);
  });
});
