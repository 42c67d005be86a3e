import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SAFETY_EMERGENCY_STATUSES, SAFETY_REQUEST_STATUSES } from '@helpline/domain';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A command answer's log position: the read answers once its read model has reached it (at most 5 s), like the queues. */
export class WaitForQueryDto {
  @ApiPropertyOptional({
    example: '1042:318',
    description: "A command response's position: answer once the read model has reached it (at most 5 s)",
  })
  @IsOptional()
  @Matches(/^\d{1,16}:\d{1,16}$/, { message: 'waitFor must be a log position such as "1042:318"' })
  waitFor?: string;
}

export class SafetyRegisterQueryDto extends WaitForQueryDto {
  @ApiPropertyOptional({ enum: ['request', 'emergency'] })
  @IsOptional()
  @IsIn(['request', 'emergency'])
  kind?: 'request' | 'emergency';

  @ApiPropertyOptional({ enum: [...new Set([...SAFETY_REQUEST_STATUSES, ...SAFETY_EMERGENCY_STATUSES])] })
  @IsOptional()
  @IsIn([...SAFETY_REQUEST_STATUSES, ...SAFETY_EMERGENCY_STATUSES])
  status?: string;

  @ApiPropertyOptional({
    example: 'unit-municipio-4',
    description: "The director's filter; a unit's staff see their own unit only",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unitId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+01:00', description: 'Records opened at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+01:00', description: 'Records opened before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  after?: string;
}

export class SafetyMonitoringQueryDto extends WaitForQueryDto {
  @ApiProperty({ example: '2026-01' })
  @Matches(MONTH, { message: 'from must be a month, YYYY-MM' })
  from!: string;

  @ApiProperty({ example: '2026-12' })
  @Matches(MONTH, { message: 'to must be a month, YYYY-MM' })
  to!: string;

  @ApiPropertyOptional({ example: 'unit-municipio-4' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unitId?: string;
}

export class SafetyMonitoringExportQueryDto extends WaitForQueryDto {
  @ApiProperty({ example: '2026-11' })
  @Matches(MONTH, { message: 'month must be a month, YYYY-MM' })
  month!: string;
}

export class SafetyMonitoringFiguresQueryDto extends SafetyMonitoringQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv: the same figures as CSV (or send Accept: text/csv)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
