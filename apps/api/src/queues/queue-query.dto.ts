import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CASE_PHASES, LINE_IDS, REFERRAL_STATUSES } from '@helpline/domain';

export class PageQueryDto {
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
  @Length(1, 2000)
  after?: string;

  @ApiPropertyOptional({
    example: '1042:318',
    description: "A command response's position: answer once the read model has reached it (at most 5 s)",
  })
  @IsOptional()
  @Matches(/^\d{1,16}:\d{1,16}$/, { message: 'waitFor must be a log position such as "1042:318"' })
  waitFor?: string;
}

export class CaseQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: [...LINE_IDS] })
  @IsOptional()
  @IsIn([...LINE_IDS], { message: `lineId must be one of: ${LINE_IDS.join(', ')}` })
  lineId?: string;

  @ApiPropertyOptional({ enum: [...CASE_PHASES] })
  @IsOptional()
  @IsIn([...CASE_PHASES], { message: `phase must be one of: ${CASE_PHASES.join(', ')}` })
  phase?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  atRisk?: boolean;
}

export class ReferralQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'esempio-serd-centro' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  serviceId?: string;

  @ApiPropertyOptional({ enum: [...REFERRAL_STATUSES] })
  @IsOptional()
  @IsIn([...REFERRAL_STATUSES], { message: `status must be one of: ${REFERRAL_STATUSES.join(', ')}` })
  status?: string;
}

export class FunnelQueryDto {
  @ApiPropertyOptional({ example: 'esempio-serd-centro' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  serviceId?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00+01:00' })
  @Matches(/^\d{4}-\d{2}-\d{2}/, { message: 'from must be an ISO-8601 date or time' })
  from!: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+01:00' })
  @Matches(/^\d{4}-\d{2}-\d{2}/, { message: 'to must be an ISO-8601 date or time' })
  to!: string;
}
