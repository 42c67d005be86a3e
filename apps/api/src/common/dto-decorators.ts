import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { allLines, isInstant, isLineId } from '@helpline/domain';

const list = (values: readonly string[]) => values.join(', ');

/**
 * A line's id: one of the lines configured at start (`LINES_FILE`, or the seed lines), checked when the request is
 * validated, not when the class is loaded.
 */
export function LineIdField(options: { optional?: boolean; description?: string } = {}) {
  const property = { type: String, example: 'sostienimi', description: options.description ?? 'A configured line' };
  return applyDecorators(
    options.optional ? ApiPropertyOptional(property) : ApiProperty(property),
    ...(options.optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'isConfiguredLine',
      validator: {
        validate: (value: unknown) => isLineId(value),
        defaultMessage: (arguments_) =>
          `${arguments_?.property ?? 'lineId'} must be one of: ${list(allLines().map((line) => line.id))}`,
      },
    }),
  );
}

/** A value from one of the domain's closed vocabularies. */
export function OneOf(values: readonly string[], example: string, description?: string) {
  return applyDecorators(
    ApiProperty({ enum: [...values], example, description }),
    IsIn([...values], { message: `$property must be one of: ${list(values)}` }),
  );
}

export function OptionalOneOf(values: readonly string[], example: string, description?: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: [...values], example, description }),
    IsOptional(),
    IsIn([...values], { message: `$property must be one of: ${list(values)}` }),
  );
}

/** A non-empty list of distinct values from a vocabulary. */
export function ListOf(values: readonly string[], example: string[], description?: string) {
  return applyDecorators(
    ApiProperty({ enum: [...values], isArray: true, example, description }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(values.length),
    ArrayUnique(),
    IsIn([...values], { each: true, message: `each value of $property must be one of: ${list(values)}` }),
  );
}

/** Free text that is personal: it is encrypted with the case's key before it is stored, never logged. */
export function PersonalText(example: string, description = 'Personal: encrypted with the case key, erasable') {
  return applyDecorators(
    ApiPropertyOptional({ example, description, maxLength: 4000 }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(4000),
  );
}

export function Identifier(example: string, description?: string) {
  return applyDecorators(ApiProperty({ example, description }), IsString(), Length(1, 100));
}

export function OptionalInstant(description = 'When it happened (ISO-8601 with offset); defaults to now') {
  return applyDecorators(
    ApiPropertyOptional({ example: '2026-11-25T10:15:00+01:00', description }),
    IsOptional(),
    IsISO8601({ strict: true, strictSeparator: true }),
    WithOffset(),
  );
}

export function Instant(example: string, description?: string) {
  return applyDecorators(
    ApiProperty({ example, description }),
    IsISO8601({ strict: true, strictSeparator: true }),
    WithOffset(),
  );
}

/**
 * An instant must name its offset (a bare local time is ambiguous when daylight saving repeats an hour). Checked at
 * the edge, so the refusal names the field the client sent, before anything reads the time.
 */
function WithOffset() {
  return ValidateBy({
    name: 'isInstantWithOffset',
    validator: {
      validate: (value: unknown) => isInstant(value),
      defaultMessage: () => '$property must be an ISO-8601 instant with an offset, e.g. 2026-11-25T10:15:00+01:00',
    },
  });
}
