import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OptionalInstant } from '../common/dto-decorators';

/** What every case command body may carry besides its own fields. */
export class CaseCommandBody {
  @OptionalInstant()
  occurredAt?: string;

  @ApiPropertyOptional({
    example: 3,
    description: 'The case version you saw (or send If-Match: "3"); a stale one gets 409',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  expectedVersion?: number;
}
