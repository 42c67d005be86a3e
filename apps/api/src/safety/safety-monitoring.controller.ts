import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@helpline/auth';
import { SafetyMonitoringExportQueryDto, SafetyMonitoringQueryDto } from './dto/safety-queries.dto';
import { GetSafetyMonitoringExportQuery, GetSafetyMonitoringQuery } from './read-safety.queries';

/** The protocol's monthly monitoring: raw figures per unit for the area director, suppressed ones to take outside. */
@ApiTags('safety: register and monitoring')
@ApiBearerAuth()
@Controller('safety/monitoring')
export class SafetyMonitoringController {
  constructor(private readonly queries: QueryBus) {}

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
  figures(@Query() query: SafetyMonitoringQueryDto) {
    return this.queries.execute(new GetSafetyMonitoringQuery(query.from, query.to, query.unitId));
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
  export(@Query() query: SafetyMonitoringExportQueryDto) {
    return this.queries.execute(new GetSafetyMonitoringExportQuery(query.month));
  }
}
