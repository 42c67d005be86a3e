import type { EvaluationReport, Figure } from './report.model';

/** The report as JSON: two-space indented, keys in a fixed order, a final newline. Same report, same bytes. */
export function renderReportJson(report: EvaluationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const CSV_HEADER = ['line_id', 'section', 'table', 'row', 'column', 'value', 'status'] as const;

/**
 * The report as one long CSV table (RFC 4180, CRLF), one figure per record, in the report's order:
 * `status` is empty for a figure, `suppressed` on an evaluator's report for a hidden one, `not_available` for
 * a figure that cannot be computed. The first records (`section` = report) say what the report is.
 */
export function renderReportCsv(report: EvaluationReport): string {
  const records: string[][] = [[...CSV_HEADER]];
  const meta = (row: string, value: string | number | null) =>
    records.push(['', 'report', 'meta', row, '', value === null ? '' : String(value), '']);
  meta('kind', report.kind);
  meta('format_version', report.formatVersion);
  meta('definitions', `${report.definitions.projection}@${report.definitions.version}`);
  meta('audience', report.audience);
  meta('time_zone', report.timeZone);
  meta('period_from', report.period.from);
  meta('period_to', report.period.to);
  meta('as_of', report.asOf);
  meta('log_position', report.log.position);
  meta('log_recorded_at', report.log.recordedAt);
  meta('small_cell_threshold', report.suppression?.threshold ?? null);
  meta('suppressed_cells', report.suppression?.suppressedCells ?? null);

  const suppressedOr = report.audience === 'evaluator' ? 'suppressed' : 'not_available';
  const figure = (
    line: string,
    section: string,
    table: string,
    row: string,
    column: string,
    value: Figure,
    status = suppressedOr,
  ) =>
    records.push([
      line,
      section,
      table,
      row,
      column,
      value === null ? '' : String(value),
      value === null ? status : '',
    ]);

  for (const line of report.lines) {
    figure(line.lineId, 'headline', 'contacts', 'all', 'total', line.headline.contacts);
    figure(line.lineId, 'headline', 'contacts', 'first', 'total', line.headline.firstContacts);
    figure(line.lineId, 'headline', 'contacts', 'follow_up', 'total', line.headline.followUpContacts);
    // A report's tables are rectangular: one cell per row and column, one total per row and per column.
    for (const table of line.tables) {
      table.rows.forEach((row, rowIndex) => {
        table.columns.forEach((column, columnIndex) =>
          figure(line.lineId, 'table', table.id, row, column, table.cells[rowIndex]![columnIndex]!),
        );
        if (table.rowTotals) figure(line.lineId, 'table', table.id, row, 'total', table.rowTotals[rowIndex]!);
      });
      const { columnTotals } = table;
      if (columnTotals)
        table.columns.forEach((column, columnIndex) =>
          figure(line.lineId, 'table', table.id, 'total', column, columnTotals[columnIndex]!),
        );
      if (table.rowTotals && table.columnTotals) figure(line.lineId, 'table', table.id, 'total', 'total', table.total);
    }
    for (const indicator of line.indicators) {
      const status = indicator.n === null ? suppressedOr : 'not_available';
      figure(line.lineId, 'indicator', indicator.id, 'value', '', indicator.value, status);
      figure(line.lineId, 'indicator', indicator.id, 'n', '', indicator.n, suppressedOr);
    }
    for (const cohort of line.cohorts) {
      const table = `cohort_${cohort.month}`;
      figure(line.lineId, 'cohort', table, 'size', '', cohort.size);
      cohort.horizons.forEach((horizon, horizonIndex) =>
        records.push([
          line.lineId,
          'cohort',
          table,
          'complete',
          `${horizon}_days`,
          String(cohort.complete[horizonIndex]),
          '',
        ]),
      );
      // A cohort's tables have one cell per row and horizon.
      const part = (name: string, rows: readonly string[], cells: readonly (readonly Figure[])[]) =>
        rows.forEach((row, rowIndex) =>
          cohort.horizons.forEach((horizon, horizonIndex) =>
            figure(
              line.lineId,
              'cohort',
              `${table}_${name}`,
              row,
              `${horizon}_days`,
              cells[rowIndex]![horizonIndex]!,
              // An evaluator gets a horizon once it has elapsed: until then it is not available, not suppressed.
              cohort.complete[horizonIndex] ? suppressedOr : 'not_available',
            ),
          ),
        );
      part('phase', cohort.phases.rows, cohort.phases.cells);
      part('referral', cohort.referrals.rows, cohort.referrals.cells);
      part('reached_phase', cohort.reached.phases.rows, cohort.reached.phases.cells);
      part('reached_referral', cohort.reached.referrals.rows, cohort.reached.referrals.cells);
    }
  }
  return records.map((record) => record.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
