import { Controller, Get, Header, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({
    schema: {
      example: {
        items: [
          {
            kind: 'request',
            id: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b',
            unitId: 'unit-municipio-4',
            status: 'sent',
            late: false,
            answer: 'confirmed',
          },
        ],
        nextCursor: null,
      },
    },
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
