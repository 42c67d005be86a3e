import { applyDecorators, Controller, Get, Query, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { Roles } from '@helpline/auth';
import {
  CONCERNS_TREATED,
  DirectoryService,
  MUNICIPI,
  SERVICE_TYPES,
  TARGET_GROUPS,
  type ConcernTreated,
  type Municipio,
  type ServiceType,
  type TargetGroup,
} from '@helpline/directory';
import { DirectoryErrorsInterceptor } from './directory-errors';
import { DirectoryIdParam, withETag } from './directory-params';
import { Answers } from '../common/response-schema';
import { SERVICE_SEARCH_PAGE, SERVICE_VIEW } from './directory.responses';

/** A filter given as repeated parameters (?area=a&area=b) or comma-separated (?area=a,b). */
function QueryList(values: readonly string[], example: string, description: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: [...values], isArray: true, example, description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value])
            .flatMap((item) => String(item).split(','))
            .map((item) => item.trim())
            .filter(Boolean),
    ),
    ArrayMaxSize(values.length),
    IsIn([...values], { each: true, message: `each value of $property must be one of: ${values.join(', ')}` }),
  );
}

const booleanQuery = Transform(({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value,
);

export class ServiceSearchQueryDto {
  @QueryList(SERVICE_TYPES, 'serd', 'Any of these service types')
  serviceType?: ServiceType[];

  @QueryList(MUNICIPI, 'municipio_1', 'Serves any of these municipi')
  area?: Municipio[];

  @QueryList(TARGET_GROUPS, 'adults', 'Serves any of these groups')
  targetGroup?: TargetGroup[];

  @QueryList(CONCERNS_TREATED, 'cocaine', "Treats any of these concerns (the case's concern codes)")
  concern?: ConcernTreated[];

  @ApiPropertyOptional({
    example: 'serd centro',
    description: 'Every word must appear in the name, alternate name or description (case-insensitive)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  text?: string;

  @ApiPropertyOptional({
    example: true,
    description: 'Only services open at `at` (default: the time of the request), on Milan time',
  })
  @IsOptional()
  @booleanQuery
  @IsBoolean()
  openNow?: boolean;

  @ApiPropertyOptional({
    example: '2026-11-25T10:00:00+01:00',
    description: 'The instant "open now" is evaluated at (with offset); defaults to the time of the request',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  at?: string;

  @ApiPropertyOptional({ example: false, description: 'Retired services are left out unless true' })
  @IsOptional()
  @booleanQuery
  @IsBoolean()
  includeRetired?: boolean;

  @ApiPropertyOptional({ example: 20, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  after?: string;
}

const serviceViewExample = {
  id: 'esempio-serd-centro',
  organizationId: 'esempio-asst-centro',
  name: 'SerD Centro (esempio)',
  alternateName: null,
  description: null,
  url: null,
  email: null,
  status: 'active',
  applicationProcess: null,
  feesDescription: null,
  eligibilityDescription: null,
  minimumAge: 18,
  maximumAge: null,
  serviceType: 'serd',
  targetGroups: ['adults'],
  concernsTreated: ['alcohol', 'cocaine'],
  areas: ['municipio_1'],
  handoffContact: {
    deskName: 'Referente invii SostieniMi – SerD Centro (esempio)',
    phone: '+39 02 0000 1101',
    email: 'invii.serd-centro@example.org',
    responseTimeHours: 48,
  },
  phones: [],
  schedules: [
    {
      id: 'esempio-serd-centro-schedule-1',
      byday: ['MO', 'TU', 'WE', 'TH', 'FR'],
      opensAt: '09:00',
      closesAt: '17:00',
      description: null,
      locationId: null,
    },
  ],
  locationIds: ['esempio-sede-serd-centro'],
  taxonomyTermIds: [],
  organization: {
    id: 'esempio-asst-centro',
    name: 'ASST Milano Centro (esempio)',
    alternateName: null,
    description: null,
    email: null,
    website: null,
    phones: [],
    status: 'active',
    version: 1,
  },
  locations: [
    {
      id: 'esempio-sede-serd-centro',
      organizationId: 'esempio-asst-centro',
      locationType: 'physical',
      name: 'SerD Centro – sede (esempio)',
      alternateName: null,
      description: null,
      transportation: null,
      latitude: null,
      longitude: null,
      address: null,
      municipio: 'municipio_1',
      phones: [],
      status: 'active',
      version: 1,
    },
  ],
  taxonomyTerms: [],
  openNow: true,
  version: 1,
};

/**
 * The resource directory as the line's operators use it to choose where to refer someone (services' staff use it
 * to suggest a better-suited service when they decline). Directory data is public: nothing personal here.
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory/services')
@Roles('operator', 'supervisor', 'admin', 'service_staff')
@UseInterceptors(DirectoryErrorsInterceptor)
export class DirectorySearchController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({
    summary: 'Search services by type, area, target group, concern, words, and open now; by name, a page at a time',
  })
  @Answers(200, SERVICE_SEARCH_PAGE, { items: [serviceViewExample], nextCursor: null })
  search(@Query() query: ServiceSearchQueryDto) {
    return this.directory.searchServices({
      serviceTypes: query.serviceType,
      areas: query.area,
      targetGroups: query.targetGroup,
      concernsTreated: query.concern,
      text: query.text,
      at: query.at ?? new Date(),
      openNow: query.openNow,
      includeRetired: query.includeRetired,
      limit: query.limit,
      after: query.after,
    });
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'One service with its organisation, locations, handoff desk and agreed response time, and whether it is open now',
  })
  @Answers(200, SERVICE_VIEW, serviceViewExample)
  @ApiNotFoundResponse({
    schema: {
      example: { statusCode: 404, code: 'DIRECTORY_ENTRY_NOT_FOUND', reason: 'No service with id x in the directory' },
    },
  })
  async get(@DirectoryIdParam() id: string, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.directory.getService(id, { at: new Date() }));
  }
}
