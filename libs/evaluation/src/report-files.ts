import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationReport } from './report/report.model';
import { renderReportCsv, renderReportJson } from './report/render-data';
import { renderReportHtml } from './report/render-html';

export const REPORT_FILE_NAMES = ['report.json', 'report.csv', 'report.html'] as const;

/** Writes report.json, report.csv and report.html into the folder (created if missing); returns their paths. */
export function writeReportFiles(report: EvaluationReport, folder: string): string[] {
  mkdirSync(folder, { recursive: true });
  const contents: Record<(typeof REPORT_FILE_NAMES)[number], string> = {
    'report.json': renderReportJson(report),
    'report.csv': renderReportCsv(report),
    'report.html': renderReportHtml(report),
  };
  return REPORT_FILE_NAMES.map((name) => {
    const path = join(folder, name);
    writeFileSync(path, contents[name], 'utf8');
    return path;
  });
}
