import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { Principal } from '@helpline/auth';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import { EvaluationReport, EvaluationReports, ReportAccess, ReportRequest } from '@helpline/evaluation';

export class GetEvaluationReportQuery extends Query<EvaluationReport> {
  constructor(
    readonly request: ReportRequest,
    readonly principal: Principal,
    /** A supervisor or administrator asking for the evaluators' version of the report. */
    readonly asEvaluatorsSeeIt: boolean,
  ) {
    super();
  }
}

/**
 * Who gets which report: evaluators the aggregates of the lines that show them to evaluators, small cells
 * suppressed; supervisors the full monthly report of their own lines; administrators that of every line.
 */
export function reportAccess(principal: Principal, asEvaluatorsSeeIt: boolean, threshold: number): ReportAccess {
  const lines = principal.role === 'admin' ? '*' : principal.role === 'evaluator' ? '*' : principal.lines;
  const audience = principal.role === 'evaluator' || asEvaluatorsSeeIt ? 'evaluator' : 'line';
  return { audience, lines, smallCellThreshold: threshold };
}

@QueryHandler(GetEvaluationReportQuery)
export class GetEvaluationReportHandler implements IQueryHandler<GetEvaluationReportQuery> {
  constructor(
    private readonly reports: EvaluationReports,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  execute(query: GetEvaluationReportQuery): Promise<EvaluationReport> {
    return this.reports.report(
      query.request,
      reportAccess(query.principal, query.asEvaluatorsSeeIt, this.settings.smallCellThreshold),
    );
  }
}
