import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CASE_PHASES, REFERRAL_STATUSES } from '@helpline/domain';
import { LineIdField } from '../common/dto-decorators';

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
  @LineIdField({ optional: true, description: 'Only this line' })
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

/** A funnel bound: a calendar date, or an instant that names its offset. */
const FUNNEL_BOUND = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export class FunnelQueryDto {
  @ApiPropertyOptional({ example: 'esempio-serd-centro' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  serviceId?: string;

  @ApiPropertyOptional({
    example: '2026-01-01',
    description:
      'Start of the period, included: a date (YYYY-MM-DD, from the start of that day in Europe/Rome) or an instant ' +
      'with an offset. Defaults to 12 months before `to`.',
  })
  @IsOptional()
  @Matches(FUNNEL_BOUND, { message: 'from must be a date (2026-01-01) or an instant with an offset' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description:
      'End of the period: a date (YYYY-MM-DD, that whole day included) or an instant with an offset (excluded). ' +
      'Defaults to now.',
  })
  @IsOptional()
  @Matches(FUNNEL_BOUND, { message: 'to must be a date (2026-12-31) or an instant with an offset' })
  to?: string;
}
