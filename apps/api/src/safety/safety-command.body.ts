import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OptionalInstant } from '../common/dto-decorators';

/** What every safety command body may carry besides its own fields. */
export class SafetyCommandBody {
  @OptionalInstant(
    'When the step happened (ISO-8601 with offset); defaults to now. For the call, the dispatch and the arrival, the timeline is measured from it.',
  )
  occurredAt?: string;

  @ApiPropertyOptional({
    example: 3,
    description: 'The record version you saw (or send If-Match: "3"); a stale one gets 409',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  expectedVersion?: number;
}

/** Personal text that must be given: sealed with the record's own key before it is stored, never logged. */
export function RequiredPersonalText(example: string, description: string, maxLength = 4000) {
  return applyDecorators(
    ApiProperty({ example, description: `${description} Personal: encrypted with the record's key.`, maxLength }),
    IsString(),
    MinLength(1),
    MaxLength(maxLength),
  );
}

export function OptionalPersonalText(example: string, description: string, maxLength = 4000) {
  return applyDecorators(
    ApiPropertyOptional({
      example,
      description: `${description} Personal: encrypted with the record's key.`,
      maxLength,
    }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(maxLength),
  );
}
