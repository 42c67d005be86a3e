import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { CommandBuilding } from '@helpline/cases';
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

/** Seals an optional personal text with the case's key; nothing when it was not given. */
export const sealIfGiven = (building: CommandBuilding, field: string, text: string | undefined) =>
  text === undefined ? undefined : building.seal(field, text);
