import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import {
  DIRECTORY_ENTITY_TYPES,
  DirectoryService,
  type DirectoryEntityType,
  type NewLocation,
  type NewOrganization,
  type NewService,
  type TaxonomyTermInput,
} from '@helpline/directory';
import {
  ChangeLocationDto,
  ChangeOrganizationDto,
  ChangeServiceDto,
  CreateLocationDto,
  CreateOrganizationDto,
  CreateServiceDto,
  DIRECTORY_ID,
  entryInput,
  StatusChangeDto,
  TaxonomyTermDto,
} from './directory-entries.dto';
import { DirectoryErrorsInterceptor } from './directory-errors';
import { DirectoryIdParam, expectedVersionOf, withETag } from './directory-params';
import { CreatedAt } from '../common/location';
import { Answers, listOf } from '../common/response-schema';
import { CHANGES_PAGE, LOCATION, ORGANIZATION, SERVICE, TAXONOMY_TERM } from './directory.responses';

export class DirectoryChangesQueryDto {
  @ApiPropertyOptional({ enum: [...DIRECTORY_ENTITY_TYPES], example: 'service' })
  @IsOptional()
  @IsIn([...DIRECTORY_ENTITY_TYPES], { message: `entityType must be one of: ${DIRECTORY_ENTITY_TYPES.join(', ')}` })
  entityType?: DirectoryEntityType;

  @ApiPropertyOptional({ example: 'esempio-serd-centro' })
  @IsOptional()
  @IsString()
  @Matches(DIRECTORY_ID, { message: 'entityId must be a directory id' })
  entityId?: string;

  @ApiPropertyOptional({ example: 'admin-1', description: 'Who made the changes' })
  @IsOptional()
  @IsString()
  @Matches(/^.{1,200}$/)
  actorId?: string;

  @ApiPropertyOptional({
    example: 120,
    description: 'Keyset: only changes after this id (the nextAfter of the previous page)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ example: 100, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

const organizationExample = {
  id: 'esempio-asst-centro',
  name: 'ASST Milano Centro (esempio)',
  alternateName: null,
  description: null,
  email: 'info@asst-centro.example.org',
  website: null,
  phones: [],
  status: 'active',
  version: 1,
};
const locationExample = {
  id: 'esempio-sede-serd-centro',
  organizationId: 'esempio-asst-centro',
  locationType: 'physical',
  name: 'SerD Centro – sede (esempio)',
  alternateName: null,
  description: null,
  transportation: 'M1 Duomo',
  latitude: 45.4642,
  longitude: 9.19,
  address: {
    address1: 'Via della Prova 1',
    address2: null,
    city: 'Milano',
    postalCode: '20121',
    stateProvince: 'MI',
    country: 'IT',
  },
  municipio: 'municipio_1',
  phones: [],
  status: 'active',
  version: 1,
};
const serviceExample = {
  id: 'esempio-serd-centro',
  organizationId: 'esempio-asst-centro',
  name: 'SerD Centro (esempio)',
  alternateName: null,
  description: null,
  url: null,
  email: null,
  applicationProcess: null,
  feesDescription: null,
  eligibilityDescription: null,
  minimumAge: 18,
  maximumAge: null,
  serviceType: 'serd',
  status: 'active',
  targetGroups: ['adults'],
  concernsTreated: ['alcohol', 'cocaine'],
  areas: ['municipio_1'],
  handoffContact: { deskName: 'Referente invii', phone: '+39 02 0000 1101', email: null, responseTimeHours: 48 },
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
  version: 2,
};
const changeExample = {
  id: 57,
  changedAt: '2026-11-25T10:20:00.000Z',
  actorId: 'admin-1',
  origin: 'admin',
  entityType: 'service',
  entityId: 'esempio-serd-centro',
  operation: 'change',
  entityVersion: 2,
  changedFields: ['handoffContact'],
  before: { handoffContact: { responseTimeHours: 72 } },
  after: { handoffContact: { responseTimeHours: 48 } },
};

/**
 * Administrators keep the resource directory (Open Referral HSDS): organisations, locations and services are
 * created, changed, retired and reactivated, never deleted. Every entry carries its version (also as ETag): send
 * it back as If-Match (a stale one gets 412) or expectedVersion (409) with a change. Every write is audited.
 */
@ApiTags('directory')
@ApiBearerAuth()
@ApiNotFoundResponse({
  schema: {
    example: { statusCode: 404, code: 'DIRECTORY_ENTRY_NOT_FOUND', reason: 'No service with id x in the directory' },
  },
})
@ApiConflictResponse({
  schema: {
    example: {
      statusCode: 409,
      code: 'DIRECTORY_VERSION_CONFLICT',
      reason: 'The service esempio-serd-centro is at version 3, expected 2',
      expectedVersion: 2,
      currentVersion: 3,
    },
  },
})
@Controller('directory')
@Roles('admin')
@UseInterceptors(DirectoryErrorsInterceptor)
export class DirectoryAdminController {
  constructor(private readonly directory: DirectoryService) {}

  // ---- organisations ----

  @Post('organizations')
  @CreatedAt((answer: { id: string }) => `/directory/organizations/${answer.id}`)
  @ApiOperation({ summary: 'Create an organisation' })
  @Answers(201, ORGANIZATION, organizationExample)
  async createOrganization(
    @Body() body: CreateOrganizationDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.createOrganization(principal.id, entryInput(body) as unknown as NewOrganization),
    );
  }

  @Get('organizations')
  @ApiOperation({ summary: 'Every organisation, retired ones included' })
  @Answers(200, listOf(ORGANIZATION), [organizationExample])
  listOrganizations() {
    return this.directory.listOrganizations();
  }

  @Get('organizations/:id')
  @ApiOperation({ summary: 'One organisation, with its version (also as ETag)' })
  @Answers(200, ORGANIZATION, organizationExample)
  async getOrganization(@DirectoryIdParam() id: string, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.directory.getOrganization(id));
  }

  @Patch('organizations/:id')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you read, e.g. "3" (or expectedVersion in the body)',
  })
  @ApiOperation({ summary: 'Change an organisation: fields sent replace the stored ones (lists whole), null clears' })
  @Answers(200, ORGANIZATION, { ...organizationExample, version: 2 })
  async changeOrganization(
    @DirectoryIdParam() id: string,
    @Body() body: ChangeOrganizationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.changeOrganization(
        principal.id,
        id,
        expectedVersionOf(request, body.expectedVersion),
        entryInput(body),
      ),
    );
  }

  @Post('organizations/:id/retirement')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read' })
  @ApiOperation({ summary: 'Retire an organisation (its services and locations must be retired first)' })
  @Answers(200, ORGANIZATION, { ...organizationExample, status: 'retired', version: 2 })
  async retireOrganization(
    @DirectoryIdParam() id: string,
    @Body() body: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.retireOrganization(principal.id, id, expectedVersionOf(request, body.expectedVersion)),
    );
  }

  @Post('organizations/:id/reactivation')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read' })
  @ApiOperation({ summary: 'Reactivate a retired organisation' })
  @Answers(200, ORGANIZATION, { ...organizationExample, version: 3 })
  async reactivateOrganization(
    @DirectoryIdParam() id: string,
    @Body() body: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.reactivateOrganization(principal.id, id, expectedVersionOf(request, body.expectedVersion)),
    );
  }

  // ---- locations ----

  @Post('locations')
  @CreatedAt((answer: { id: string }) => `/directory/locations/${answer.id}`)
  @ApiOperation({ summary: 'Create a location of an organisation' })
  @Answers(201, LOCATION, locationExample)
  async createLocation(
    @Body() body: CreateLocationDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.createLocation(principal.id, entryInput(body) as unknown as NewLocation),
    );
  }

  @Get('locations')
  @ApiOperation({ summary: 'Every location, retired ones included' })
  @Answers(200, listOf(LOCATION), [locationExample])
  listLocations() {
    return this.directory.listLocations();
  }

  @Get('locations/:id')
  @ApiOperation({ summary: 'One location, with its version (also as ETag)' })
  @Answers(200, LOCATION, locationExample)
  async getLocation(@DirectoryIdParam() id: string, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.directory.getLocation(id));
  }

  @Patch('locations/:id')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you read, e.g. "3" (or expectedVersion in the body)',
  })
  @ApiOperation({ summary: 'Change a location (it stays with its organisation)' })
  @Answers(200, LOCATION, { ...locationExample, version: 2 })
  async changeLocation(
    @DirectoryIdParam() id: string,
    @Body() body: ChangeLocationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.changeLocation(
        principal.id,
        id,
        expectedVersionOf(request, body.expectedVersion),
        entryInput(body),
      ),
    );
  }

  @Post('locations/:id/retirement')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read' })
  @ApiOperation({ summary: 'Retire a location (services delivered there stay; views show the location as retired)' })
  @Answers(200, LOCATION, { ...locationExample, status: 'retired', version: 2 })
  async retireLocation(
    @DirectoryIdParam() id: string,
    @Body() body: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.retireLocation(principal.id, id, expectedVersionOf(request, body.expectedVersion)),
    );
  }

  @Post('locations/:id/reactivation')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read' })
  @ApiOperation({ summary: 'Reactivate a retired location' })
  @Answers(200, LOCATION, { ...locationExample, version: 3 })
  async reactivateLocation(
    @DirectoryIdParam() id: string,
    @Body() body: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.reactivateLocation(principal.id, id, expectedVersionOf(request, body.expectedVersion)),
    );
  }

  // ---- services (reading them: DirectorySearchController) ----

  @Post('services')
  @CreatedAt((answer: { id: string }) => `/directory/services/${answer.id}`)
  @ApiOperation({ summary: 'Create a service, with its handoff contact and agreed response time' })
  @Answers(201, SERVICE, { ...serviceExample, version: 1 })
  async createService(
    @Body() body: CreateServiceDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.createService(principal.id, entryInput(body) as unknown as NewService),
    );
  }

  @Patch('services/:id')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you read, e.g. "3" (or expectedVersion in the body)',
  })
  @ApiOperation({ summary: 'Change a service: fields sent replace the stored ones (lists whole), null clears' })
  @Answers(200, SERVICE, serviceExample)
  async changeService(
    @DirectoryIdParam() id: string,
    @Body() body: ChangeServiceDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.changeService(
        principal.id,
        id,
        expectedVersionOf(request, body.expectedVersion),
        entryInput(body),
      ),
    );
  }

  @Post('services/:id/retirement')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read' })
  @ApiOperation({ summary: 'Retire a service: no new referral can target it; referrals under way go on' })
  @Answers(200, SERVICE, { ...serviceExample, status: 'retired', version: 3 })
  async retireService(
    @DirectoryIdParam() id: string,
    @Body() body: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.retireService(principal.id, id, expectedVersionOf(request, body.expectedVersion)),
    );
  }

  @Post('services/:id/reactivation')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read' })
  @ApiOperation({ summary: 'Reactivate a retired service' })
  @Answers(200, SERVICE, { ...serviceExample, version: 4 })
  async reactivateService(
    @DirectoryIdParam() id: string,
    @Body() body: StatusChangeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withETag(
      response,
      await this.directory.reactivateService(principal.id, id, expectedVersionOf(request, body.expectedVersion)),
    );
  }

  // ---- taxonomy ----

  @Get('taxonomy-terms')
  @ApiOperation({ summary: "The directory's taxonomy terms" })
  @Answers(200, listOf(TAXONOMY_TERM), [
    {
      id: 'helpline-serd',
      code: 'SERD',
      name: 'Servizi per le dipendenze',
      description: null,
      parentId: null,
      taxonomy: 'helpline-milano',
      version: 1,
    },
  ])
  listTaxonomyTerms() {
    return this.directory.listTaxonomyTerms();
  }

  @Put('taxonomy-terms/:id')
  @ApiOperation({ summary: 'Create or change a taxonomy term (reference data: no version check; audited)' })
  @Answers(200, TAXONOMY_TERM, {
    id: 'helpline-serd',
    code: 'SERD',
    name: 'Servizi per le dipendenze',
    description: null,
    parentId: null,
    taxonomy: 'helpline-milano',
    version: 1,
  })
  saveTaxonomyTerm(
    @DirectoryIdParam() id: string,
    @Body() body: TaxonomyTermDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.directory.saveTaxonomyTerm(principal.id, { ...entryInput(body), id } as unknown as TaxonomyTermInput);
  }

  // ---- audit ----

  @Get('changes')
  @ApiOperation({
    summary:
      'The audit of the directory: who changed what, when, from which origin (admin, import, sample), before and after',
  })
  @Answers(200, CHANGES_PAGE, { items: [changeExample], nextAfter: 57 })
  async changes(@Query() query: DirectoryChangesQueryDto) {
    const limit = query.limit ?? 100;
    const items = await this.directory.listChanges({
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
      afterId: query.after,
      limit,
    });
    return { items, nextAfter: items.length === limit ? (items.at(-1)?.id ?? null) : null };
  }
}
