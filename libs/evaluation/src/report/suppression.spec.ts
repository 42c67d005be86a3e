import fc from 'fast-check';
import { suppress, SuppressionEquation, tableProblem, TableShape } from './suppression';

const THRESHOLD = 5;

/** A table with row totals, column totals and a grand total; ids `r<i>c<j>`, `r<i>T`, `Tc<j>`, `TT`. */
function shapeOf(cells: number[][], prefix = ''): TableShape {
  const columns = cells[0]!.length;
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = Array.from({ length: columns }, (_, c) => cells.reduce((sum, row) => sum + row[c]!, 0));
  return {
    cells,
    cellIds: cells.map((row, r) => row.map((_, c) => `${prefix}r${r}c${c}`)),
    rowTotals,
    rowTotalIds: rowTotals.map((_, r) => `${prefix}r${r}T`),
    columnTotals,
    columnTotalIds: columnTotals.map((_, c) => `${prefix}Tc${c}`),
    grandTotal: rowTotals.reduce((a, b) => a + b, 0),
    grandTotalId: `${prefix}TT`,
  };
}

// ---- an independent check of linear recoverability: exact rational arithmetic, rank comparison ----

type Fraction = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Fraction): Fraction => {
  if (n === 0n) return [0n, 1n];
  const g = gcd(n, d);
  const sign = d < 0n ? -1n : 1n;
  return [(sign * n) / g, (sign * d) / g];
};
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

function rank(matrix: Fraction[][]): number {
  const rows = matrix.map((row) => row.map((x) => [...x] as Fraction));
  let r = 0;
  const width = rows[0]?.length ?? 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    const pivot = rows.findIndex((row, i) => i >= r && row[c]![0] !== 0n);
    if (pivot < 0) continue;
    [rows[r], rows[pivot]] = [rows[pivot]!, rows[r]!];
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i]![c]![0] === 0n) continue;
      const factor = div(rows[i]![c]!, rows[r]![c]!);
      rows[i] = rows[i]!.map((x, j) => sub(x, mul(factor, rows[r]![j]!)));
    }
    r++;
  }
  return r;
}

/** A suppressed cell is recoverable when its unit vector adds nothing to the rank of the equations' matrix. */
function recoverable(equations: readonly SuppressionEquation[], suppressed: ReadonlySet<string>): string[] {
  const variables = [...suppressed];
  const matrix: Fraction[][] = equations
    .map((eq) =>
      variables.map((v): Fraction => [BigInt((eq.total === v ? 1 : 0) - eq.parts.filter((p) => p === v).length), 1n]),
    )
    .filter((row) => row.some(([n]) => n !== 0n));
  if (matrix.length === 0) return [];
  const base = rank(matrix);
  return variables.filter(
    (_, i) => rank([...matrix, variables.map((_, j): Fraction => [i === j ? 1n : 0n, 1n])]) === base,
  );
}

function checkProtected(
  problem: ReturnType<typeof tableProblem>,
  values: Map<string, number>,
  result: ReturnType<typeof suppress>,
) {
  for (const [id, value] of values) if (value > 0 && value < THRESHOLD) expect(result.suppressed.has(id)).toBe(true);
  for (const eq of problem.equations) {
    const members = [eq.total, ...eq.parts];
    const hidden = members.filter((id) => result.suppressed.has(id));
    // Never the only unknown of a row or a column, totals included.
    expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
    if (!result.suppressed.has(eq.total)) {
      const hiddenSum = eq.parts
        .filter((id) => result.suppressed.has(id))
        .reduce((sum, id) => sum + values.get(id)!, 0);
      expect(hiddenSum === 0 || hiddenSum >= THRESHOLD).toBe(true);
    }
  }
  expect(recoverable(problem.equations, result.suppressed)).toEqual([]);
}

const smallCounts = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 2, arbitrary: fc.integer({ min: 5, max: 60 }) },
);

describe('small-cell suppression', () => {
  it('suppresses every cell below the threshold and leaves no suppressed cell the only unknown of any row or column, totals included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((rows) =>
          fc.integer({ min: 1, max: 4 }).chain((columns) =>
            fc.array(fc.array(smallCounts, { minLength: columns, maxLength: columns }), {
              minLength: rows,
              maxLength: rows,
            }),
          ),
        ),
        (cells) => {
          const shape = shapeOf(cells);
          const problem = tableProblem(shape, new Set());
          const result = suppress({ ...problem, threshold: THRESHOLD });
          checkProtected(problem, new Map(problem.cells.map((cell) => [cell.id, cell.value])), result);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('protects tables that share cells as one system: no shared cell is recovered from another table', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(smallCounts, { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.array(smallCounts, { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 6 }),
        (a, b) => {
          // Two breakdowns of the same contacts: make the column totals equal by adding a balancing row to each.
          const totals = (t: number[][]) => [0, 1].map((c) => t.reduce((sum, row) => sum + row[c]!, 0));
          const [ta, tb] = [totals(a), totals(b)];
          const first = [...a, [Math.max(ta[0]!, tb[0]!) - ta[0]!, Math.max(ta[1]!, tb[1]!) - ta[1]!]];
          const second = [...b, [Math.max(ta[0]!, tb[0]!) - tb[0]!, Math.max(ta[1]!, tb[1]!) - tb[1]!]];
          const shared = (shape: TableShape): TableShape => ({
            ...shape,
            columnTotalIds: ['first', 'follow_up'],
            grandTotalId: 'all',
          });
          const sharedIds = new Set(['first', 'follow_up', 'all']);
          const one = tableProblem(shared(shapeOf(first, 'a')), sharedIds);
          const two = tableProblem(shared(shapeOf(second, 'b')), sharedIds);
          const problem = { cells: [...one.cells, ...two.cells], equations: [...one.equations, ...two.equations] };
          const result = suppress({ ...problem, threshold: THRESHOLD });
          checkProtected(problem, new Map(problem.cells.map((cell) => [cell.id, cell.value])), result);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hides the 4 media and 4 other contacts of the published figures with complementary cells, and nothing can be solved back', () => {
    // caller type x (first contact, follow-up)
    const shape = shapeOf([
      [450, 156],
      [240, 73],
      [21, 4],
      [4, 0],
      [4, 0],
    ]);
    const problem = tableProblem(shape, new Set());
    const result = suppress({ ...problem, threshold: THRESHOLD });
    expect([...result.primary].sort()).toEqual(['r2c1', 'r3T', 'r3c0', 'r4T', 'r4c0']);
    expect(result.complementary.size).toBeGreaterThan(0);
    expect(result.suppressed.has('TT')).toBe(false);
    expect(result.suppressed.has('r0T')).toBe(false);
    checkProtected(problem, new Map(problem.cells.map((cell) => [cell.id, cell.value])), result);
  });

  it('closes a bridge: a small cell joining two blocks of small cells is solvable from the blocks, so one more cell goes', () => {
    const cells = [
      [3, 4, 50, 50, 60],
      [4, 3, 2, 50, 70],
      [50, 50, 3, 4, 80],
      [50, 50, 4, 3, 90],
      [60, 70, 80, 90, 99],
    ];
    const problem = tableProblem(shapeOf(cells), new Set());
    const result = suppress({ ...problem, threshold: THRESHOLD });
    // The line rules alone hold with the primary cells: every row and column has two or more, none adds up small.
    expect([...result.primary].sort()).toEqual([
      'r0c0',
      'r0c1',
      'r1c0',
      'r1c1',
      'r1c2',
      'r2c2',
      'r2c3',
      'r3c2',
      'r3c3',
    ]);
    expect(recoverable(problem.equations, result.primary)).toEqual(['r1c2']);
    expect(result.complementary.size).toBeGreaterThan(0);
    checkProtected(problem, new Map(problem.cells.map((cell) => [cell.id, cell.value])), result);
  });

  it('suppresses nothing when no cell is small', () => {
    const problem = tableProblem(
      shapeOf([
        [10, 0],
        [7, 12],
      ]),
      new Set(),
    );
    expect(suppress({ ...problem, threshold: THRESHOLD }).suppressed.size).toBe(0);
  });

  it('is deterministic', () => {
    const problem = tableProblem(
      shapeOf([
        [3, 9, 1],
        [20, 2, 8],
        [6, 6, 40],
      ]),
      new Set(),
    );
    const once = suppress({ ...problem, threshold: THRESHOLD });
    const again = suppress({ ...problem, threshold: THRESHOLD });
    expect([...again.suppressed]).toEqual([...once.suppressed]);
  });

  it('protects a new release without changing what was released before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 3, maxLength: 3 }), {
          minLength: 3,
          maxLength: 4,
        }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 3, maxLength: 4 }),
        (cells, extra) => {
          // First the table, then a new table whose column totals are the old table's row totals.
          const first = tableProblem(shapeOf(cells), new Set());
          const before = suppress({ ...first, threshold: THRESHOLD });
          const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
          const splits = rowTotals.map((total, r) => {
            const part = Math.min(extra[r] ?? 0, total);
            return [part, total - part];
          });
          const second = tableProblem(
            {
              cells: [splits.map((split) => split[0]!), splits.map((split) => split[1]!)],
              cellIds: [splits.map((_, r) => `n0-${r}`), splits.map((_, r) => `n1-${r}`)],
              columnTotals: splits.map((split) => split[0]! + split[1]!),
              columnTotalIds: splits.map((_, r) => `r${r}T`),
            },
            new Set(),
          );
          const released = { ids: new Set(first.cells.map((cell) => cell.id)), suppressed: before.suppressed };
          const cellsOfBoth = [...first.cells, ...second.cells.filter((cell) => !released.ids.has(cell.id))];
          const equations = [...first.equations, ...second.equations];
          const after = suppress({ cells: cellsOfBoth, equations, threshold: THRESHOLD, released });
          for (const id of released.ids) expect(after.suppressed.has(id)).toBe(before.suppressed.has(id));
          const values = new Map(cellsOfBoth.map((cell) => [cell.id, cell.value]));
          for (const [id, value] of values)
            if (value > 0 && value < THRESHOLD) expect(after.suppressed.has(id)).toBe(true);
          expect(recoverable(equations, after.suppressed)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
