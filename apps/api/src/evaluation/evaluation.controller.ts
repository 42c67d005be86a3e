import { Controller, Get, Header, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import { renderReportCsv, renderReportHtml } from '@helpline/evaluation';
import { ConcurrencyLimit, TooBusyException } from '../common/concurrency-limit';
import { EvaluationReportQueryDto } from './evaluation-report.dto';
import { GetEvaluationReportQuery } from './get-evaluation-report.query';
import { Answers } from '../common/response-schema';
import { EVALUATION_REPORT } from './evaluation-report.responses';

const example = {
  kind: 'helpline-evaluation-report',
  formatVersion: 2,
  definitions: { projection: 'evaluation', version: 3 },
  audience: 'evaluator',
  timeZone: 'Europe/Rome',
  period: { from: '2020-03', to: '2020-03', months: ['2020-03'] },
  asOf: null,
  log: { position: '8812:40771', recordedAt: '2020-04-01T06:12:09.311Z' },
  suppression: { threshold: 5, method: 'primary-and-complementary', suppressedCells: 12 },
  lines: [
    {
      lineId: 'sostienimi',
      name: 'SostieniMi - Help line dipendenze',
      headline: { contacts: 74, firstContacts: 56, followUpContacts: 18 },
      tables: [
        {
          id: 'contacts_by_channel',
          rows: ['2020-03'],
          columns: ['phone', 'email'],
          cells: [[70, 4]],
          rowTotals: [74],
          columnTotals: [70, 4],
          total: 74,
          suppressedCells: 0,
        },
      ],
      indicators: [{ id: 'handoff_acceptance_rate', value: 0.8, n: 10 }],
      cohorts: [
        {
          month: '2020-03',
          size: 56,
          horizons: [30, 60, 90],
          complete: [true, true, true],
          phases: {
            rows: ['first_contact', 'framing'],
            cells: [
              [20, 18, 18],
              [36, 38, 38],
            ],
          },
          referrals: {
            rows: ['no_referral', 'sent'],
            cells: [
              [40, 38, 38],
              [16, 18, 18],
            ],
          },
          reached: {
            phases: { rows: ['framing'], cells: [[36, 38, 38]] },
            referrals: { rows: ['sent'], cells: [[16, 18, 18]] },
          },
          suppressedCells: 0,
        },
      ],
      suppressedCells: 12,
    },
  ],
};

/**
 * The evaluation report: monthly indicators, cohorts, any date "as of". Evaluators get aggregates only, small
 * cells suppressed, and never a line that hides its figures from them; supervisors and administrators get the
 * line's full monthly report for the municipality.
 */
@ApiTags('evaluation')
@ApiBearerAuth()
@Controller('evaluation')
@Roles('evaluator', 'supervisor', 'admin')
export class EvaluationController {
  /** A report as of a past date replays the log inside the request: a few at a time, the others told to retry. */
  private readonly replays: ConcurrencyLimit;

  constructor(
    private readonly queries: QueryBus,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.replays = new ConcurrencyLimit(settings.reportReplaysAtOnce, 'other reports as of a past date');
  }

  @Get('report')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'The evaluation report for a month (?month=YYYY-MM), a span (?from=&to=) or every month, as of now or of a date (?asOf=), or exactly as published (?asOf=&upToPosition=)',
  })
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @Answers(200, EVALUATION_REPORT, example)
  async report(
    @Query() query: EvaluationReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const build = () =>
      this.queries.execute(
        new GetEvaluationReportQuery(
          {
            month: query.month,
            from: query.from,
            to: query.to,
            asOf: query.asOf,
            upToPosition: query.upToPosition,
            lineIds: query.line,
          },
          principal,
          query.audience === 'evaluator',
        ),
      );
    let report: Awaited<ReturnType<typeof build>>;
    try {
      report = query.asOf ? await this.replays.run(build) : await build();
    } catch (error) {
      if (error instanceof TooBusyException) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    const name = `evaluation-${report.period.from}${report.period.to !== report.period.from ? `_${report.period.to}` : ''}${report.asOf ? `-as-of-${report.asOf.slice(0, 10)}` : ''}`;
    if (query.format === 'csv') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      return renderReportCsv(report);
    }
    if (query.format === 'html') {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      return renderReportHtml(report);
    }
    return report;
  }
}
