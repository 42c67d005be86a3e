import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({
    schema: {
      example: [
        {
          month: '2026-11',
          unitId: 'unit-municipio-4',
          requestsSent: 7,
          requestsLate: 2,
          presenceConfirmed: 5,
          presenceDeclined: 1,
          meetingsWithIncident: 1,
          emergenciesTotal: 2,
          medianMinutesCallToDispatch: 4,
          medianMinutesDispatchToArrival: 11,
        },
      ],
    },
  })
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
  @ApiOkResponse({
    schema: {
      example: {
        month: '2026-11',
        threshold: 5,
        preventiveRequests: {
          rows: ['unit-municipio-4'],
          columns: ['requestsSent'],
          values: [[null]],
          columnTotals: [null],
        },
      },
    },
  })
  async export(@Query() query: SafetyMonitoringExportQueryDto) {
    await this.readYourWrites.waitFor('safety-monitoring', query.waitFor);
    return this.queries.execute(new GetSafetyMonitoringExportQuery(query.month));
  }
}
