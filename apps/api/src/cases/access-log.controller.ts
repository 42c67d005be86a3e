import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { GetAccessLogQuery } from './read-case.queries';
import { Answers } from '../common/response-schema';
import { ACCESS_LOG_PAGE } from './case.responses';

export class AccessLogQueryDto {
  @ApiPropertyOptional({ example: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ example: 'operator-7' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actorId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Keyset cursor: the nextBefore of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('access-log')
@Roles('supervisor', 'admin')
export class AccessLogController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "Who read which case's details, and when (supervisors and administrators)" })
  @Answers(200, ACCESS_LOG_PAGE, {
    entries: [
      {
        id: 12,
        caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
        lineId: 'sostienimi',
        actorId: 'operator-7',
        actorRole: 'operator',
        what: 'case_history',
        accessedAt: '2026-11-25T10:20:00.000Z',
      },
    ],
    nextBefore: 12,
  })
  find(@Query() query: AccessLogQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(
      new GetAccessLogQuery({
        lines: principal.role === 'admin' ? undefined : principal.lines,
        caseId: query.caseId,
        actorId: query.actorId,
        from: query.from,
        to: query.to,
        limit: query.limit ?? 50,
        beforeId: query.before,
      }),
    );
  }
}
