// Evaluation: the indicators read model, cohorts, as-of replays and the monthly report (JSON, CSV, HTML).
export * from './rome-months';
export { EVALUATION_PHASES, RECOVERING_RESOLUTIONS } from './evaluation.records';
export type { EvaluationPhase } from './evaluation.records';
export { evaluationProjection, EVALUATION_TABLES, EVALUATION_PROJECTION_VERSION } from './evaluation.projection';
export type { EvaluationTable } from './evaluation.projection';
export { EvaluationQueries } from './evaluation.queries';
export type { ContactGroup, LineFigures, ReferralStepCounts } from './evaluation.queries';
export type { CaseFacts } from './report/case-counts';
export * from './evaluation-reports';
export * from './report/report.model';
export { buildReport } from './report/build-report';
export type { BuildReportOptions } from './report/build-report';
export { suppress, determinedCells, tableProblem } from './report/suppression';
export type {
  SuppressionCell,
  SuppressionEquation,
  SuppressionProblem,
  SuppressionResult,
  TableShape,
} from './report/suppression';
export { renderReportCsv, renderReportJson } from './report/render-data';
export { renderReportHtml } from './report/render-html';
export * from './report-files';
