import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { NotInSafetyProtocolError } from '@helpline/safety';
import { Answers } from '../common/response-schema';
import { GetSafetyAccessLogQuery } from './read-safety.queries';
import { SAFETY_ACCESS_LOG_PAGE } from './safety.responses';

export class SafetyAccessLogQueryDto {
  @ApiPropertyOptional({ example: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b', description: 'A request or emergency id' })
  @IsOptional()
  @IsUUID()
  recordId?: string;

  @ApiPropertyOptional({ example: 'sw-ada' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actorId?: string;

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

/**
 * Who read which safety-protocol record, and when. The area director sees every unit's; a unit officer, who
 * answers for the unit's staff, sees the reads of the unit's records.
 */
@ApiTags('safety: register and monitoring')
@ApiBearerAuth()
@Controller('safety/access-log')
@Roles('unit_officer', 'area_director')
export class SafetyAccessLogController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Who read which request or emergency record, and when, newest first' })
  @Answers(200, SAFETY_ACCESS_LOG_PAGE, {
    entries: [
      {
        id: 42,
        recordKind: 'request',
        recordId: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b',
        unitId: 'unit-municipio-4',
        actorId: 'pl-elena',
        actorRole: 'police_liaison',
        accessedAt: '2026-11-25T10:00:00.000Z',
      },
    ],
    nextBefore: 41,
  })
  find(@Query() query: SafetyAccessLogQueryDto, @CurrentPrincipal() principal: Principal) {
    if (principal.role === 'unit_officer' && !principal.unitId) throw new NotInSafetyProtocolError();
    return this.queries.execute(
      new GetSafetyAccessLogQuery({
        unitId: principal.role === 'area_director' ? undefined : principal.unitId,
        recordId: query.recordId,
        actorId: query.actorId,
        limit: query.limit ?? 50,
        beforeId: query.before,
      }),
    );
  }
}
