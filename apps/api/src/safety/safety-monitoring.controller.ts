import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/response-schema';
import { SAFETY_MONITORING_EXPORT, SAFETY_MONTHLY_FIGURES } from './safety.responses';
import { safetyMonthlyFiguresCsv, type SafetyMonthlyFigures } from '@helpline/safety';
import { ReadYourWrites } from '../queues/read-your-writes';
import { Roles } from '@helpline/auth';
import { SafetyMonitoringExportQueryDto, SafetyMonitoringFiguresQueryDto } from './dto/safety-queries.dto';
import { GetSafetyMonitoringExportQuery, GetSafetyMonitoringQuery } from './read-safety.queries';

/** The protocol's monthly monitoring: raw figures per unit for the area director, suppressed ones to take outside. */
@ApiTags('safety: register and monitoring')
@ApiBearerAuth()
@Controller('safety/monitoring')
export class SafetyMonitoringController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @Roles('area_director')
  @ApiOperation({
    summary:
      'Monthly figures per unit (the area director): requests sent, late, confirmed, declined, meetings with incidents, emergencies by kind, median minutes call→dispatch→arrival',
  })
  @Answers(200, SAFETY_MONTHLY_FIGURES, [
    {
      month: '2026-11',
      unitId: 'unit-municipio-4',
      requestsSent: 7,
      requestsLate: 2,
      presenceConfirmed: 5,
      presenceDeclined: 1,
      meetingsWithIncident: 1,
      emergencies: { verbal_aggression: 1, physical_aggression: 1, threat: 0, damage: 0 },
      emergenciesTotal: 2,
      medianMinutesCallToDispatch: 4,
      medianMinutesDispatchToArrival: 11,
      medianMinutesCallToArrival: 15,
      timedCallToDispatch: 2,
      timedDispatchToArrival: 2,
      timedCallToArrival: 2,
    },
  ])
  @ApiProduces('application/json', 'text/csv')
  async figures(
    @Query() query: SafetyMonitoringFiguresQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.readYourWrites.waitFor('safety-monitoring', query.waitFor);
    const figures = await this.queries.execute<GetSafetyMonitoringQuery, SafetyMonthlyFigures[]>(
      new GetSafetyMonitoringQuery(query.from, query.to, query.unitId),
    );
    const asCsv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!asCsv) return figures;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="safety-monitoring.csv"');
    return safetyMonthlyFiguresCsv(figures);
  }

  @Get('export')
  @Roles('area_director', 'evaluator')
  @ApiOperation({
    summary:
      "One month's figures as they may leave the units: counts below SMALL_CELL_THRESHOLD hidden (null), with complementary suppression; medians only over enough emergencies",
  })
  @Answers(200, SAFETY_MONITORING_EXPORT, {
    month: '2026-11',
    zone: 'Europe/Rome',
    threshold: 5,
    preventiveRequests: {
      rows: ['unit-municipio-4'],
      columns: ['requestsSent'],
      values: [[null]],
      rowTotals: null,
      columnTotals: [null],
      suppressed: { primary: 1, complementary: 0 },
    },
    emergenciesByKind: {
      rows: ['unit-municipio-4'],
      columns: ['verbal_aggression', 'physical_aggression', 'threat', 'damage'],
      values: [[null, null, 0, 0]],
      rowTotals: [null],
      columnTotals: [null, null, 0, 0],
      grandTotal: null,
      suppressed: { primary: 3, complementary: 0 },
    },
    timeline: [
      {
        unitId: null,
        medianMinutes: { CallToDispatch: null, DispatchToArrival: null, CallToArrival: null },
      },
    ],
  })
  async export(@Query() query: SafetyMonitoringExportQueryDto) {
    await this.readYourWrites.waitFor('safety-monitoring', query.waitFor);
    return this.queries.execute(new GetSafetyMonitoringExportQuery(query.month));
  }
}
