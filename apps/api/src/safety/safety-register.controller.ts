import { Controller, Get, Header, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/response-schema';
import { SAFETY_REGISTER_PAGE } from './safety.responses';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { safetyRegisterCsv, type SafetyRegisterFilter, type SafetyRegisterItem } from '@helpline/safety';
import { ReadYourWrites } from '../queues/read-your-writes';
import { SafetyRegisterQueryDto } from './dto/safety-queries.dto';
import { GetSafetyRegisterQuery } from './read-safety.queries';

/**
 * The register the protocol asks the units to keep: every preventive request and emergency record with where it
 * stands. A unit's staff see their own unit's; the area director sees every unit's (requests once sent). Nothing
 * personal is ever listed.
 */
@ApiTags('safety: register and monitoring')
@ApiBearerAuth()
@Controller('safety')
@Roles('social_worker', 'unit_officer', 'area_director')
export class SafetyRegisterController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get('register')
  @ApiOperation({ summary: 'The register, newest first, a page at a time' })
  @Answers(200, SAFETY_REGISTER_PAGE, {
    items: [
      {
        kind: 'request',
        id: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b',
        unitId: 'unit-municipio-4',
        status: 'sent',
        openedAt: '2026-11-25T08:30:00.000Z',
        risk: 'high',
        meetingAt: '2026-12-03T09:00:00.000Z',
        sentAt: '2026-11-25T09:00:00.000Z',
        late: false,
        noticeMinutes: 11400,
        acknowledgedAt: '2026-11-25T09:20:00.000Z',
        informationRequests: 0,
        answer: 'confirmed',
        answeredAt: '2026-11-25T11:00:00.000Z',
        officers: 2,
        declineReason: null,
        outcome: null,
        incidentKind: null,
        cancelledAt: null,
        cancellationReason: null,
        linkedId: null,
        emergencyKind: null,
        operationsCentreCalledAt: null,
        patrolDispatchedAt: null,
        patrolArrivedAt: null,
        minutesFromCallToDispatch: null,
        minutesFromDispatchToArrival: null,
        forcesAlerted: null,
        reportFiledAt: null,
        sharedWithDirectorate: null,
        closedAt: null,
        personalDataErasedAt: null,
      },
    ],
    nextCursor: null,
    caughtUp: true,
  })
  async list(@Query() query: SafetyRegisterQueryDto, @CurrentPrincipal() principal: Principal) {
    const wait = await this.readYourWrites.waitFor('safety-register', query.waitFor);
    const page = (await this.queries.execute(
      new GetSafetyRegisterQuery(principal, filterOf(query), { limit: query.limit, after: query.after }),
    )) as object;
    return { ...page, ...wait };
  }

  @Get('register.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="safety-register.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV, header first', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: 'The register as CSV, oldest first (same scope and filters)' })
  async csv(@Query() query: SafetyRegisterQueryDto, @CurrentPrincipal() principal: Principal): Promise<string> {
    await this.readYourWrites.waitFor('safety-register', query.waitFor);
    const items = (await this.queries.execute(
      new GetSafetyRegisterQuery(principal, filterOf(query)),
    )) as SafetyRegisterItem[];
    return safetyRegisterCsv(items);
  }
}

function filterOf(query: SafetyRegisterQueryDto): SafetyRegisterFilter {
  return { kind: query.kind, status: query.status, unitId: query.unitId, from: query.from, to: query.to };
}
