import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';
import { allLines, isLineId } from '@helpline/domain';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Which report: one month, a span of months, or (with neither) every month with data; optionally as of a date. */
export class EvaluationReportQueryDto {
  @ApiPropertyOptional({ example: '2020-03', description: 'One month, Rome time (YYYY-MM)' })
  @IsOptional()
  @Matches(MONTH, { message: 'month must be a month, YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ example: '2019-09', description: 'First month of a span (YYYY-MM)' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month, YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2020-11', description: 'Last month of a span (YYYY-MM)' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month, YYYY-MM' })
  to?: string;

  @ApiPropertyOptional({
    example: '2020-06-30',
    description:
      'Replay the log up to this date (the end of that day in Rome) or instant: the figures as they were then. Events count when they occurred.',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/, {
    message: 'asOf must be a date (YYYY-MM-DD) or an ISO-8601 instant with an offset',
  })
  asOf?: string;

  @ApiPropertyOptional({
    example: '1234:5678',
    description:
      'With asOf: replay only the events recorded up to this log position (the `log.position` a report prints), to reproduce that report exactly as it was published',
  })
  @IsOptional()
  @Matches(/^\d{1,16}:\d{1,16}$/, {
    message: 'upToPosition must be a log position as a report prints it, such as 1234:5678',
  })
  upToPosition?: string;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    example: ['sostienimi'],
    description: 'Only these lines, of the configured ones (repeat the parameter for several)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateBy(
    {
      name: 'isConfiguredLine',
      validator: {
        validate: (value: unknown) => isLineId(value),
        defaultMessage: () =>
          `line must be one of: ${allLines()
            .map((line) => line.id)
            .join(', ')}`,
      },
    },
    { each: true },
  )
  line?: string[];

  @ApiPropertyOptional({
    enum: [...REPORT_FORMATS],
    default: 'json',
    description: 'json and csv for machines, html for people (Italian and English, printable)',
  })
  @IsOptional()
  @IsIn([...REPORT_FORMATS], { message: `format must be one of: ${REPORT_FORMATS.join(', ')}` })
  format?: ReportFormat;

  @ApiPropertyOptional({
    enum: ['line', 'evaluator'],
    description:
      "Supervisors and administrators get the line's full report; `evaluator` shows them what evaluators get",
  })
  @IsOptional()
  @IsIn(['line', 'evaluator'], { message: 'audience must be line or evaluator' })
  audience?: 'line' | 'evaluator';
}
