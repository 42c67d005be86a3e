import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CONCERNS_TREATED,
  LOCATION_TYPES,
  MUNICIPI,
  PHONE_TYPES,
  SERVICE_TYPES,
  TARGET_GROUPS,
  WEEKDAYS,
  type ConcernTreated,
  type LocationType,
  type Municipio,
  type PhoneType,
  type ServiceType,
  type TargetGroup,
  type Weekday,
} from '@helpline/directory';

/*
 * The administrators' inputs for the resource directory. These check shapes and vocabularies at the edge; the
 * directory itself checks the rest (references, schedules within the service's locations, a retired
 * organisation's entries) and answers DIRECTORY_VALIDATION naming the field. Optional values may be omitted or
 * null; on a change, an omitted field stays as it is and null clears it.
 */

export const DIRECTORY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const ID_RULE = 'must be 1-128 of A-Za-z0-9._:@-, starting with a letter or digit';

function DirectoryId(example: string, description?: string, optional = false) {
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ type: String, example, description })
      : ApiProperty({ type: String, example, description }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    Matches(DIRECTORY_ID, { message: `$property ${ID_RULE}` }),
  );
}

function Text(max: number, example: string, description?: string) {
  return applyDecorators(ApiProperty({ example, description, maxLength: max }), IsString(), Length(1, max));
}

function OptionalText(max: number, example: string, description?: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: String, example, description, maxLength: max, nullable: true }),
    IsOptional(),
    IsString(),
    Length(0, max),
  );
}

/** A list of distinct values from a vocabulary; may be empty. */
function OptionalListOf(values: readonly string[], example: string[], description?: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: [...values], isArray: true, example, description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(values.length),
    ArrayUnique(),
    IsIn([...values], { each: true, message: `each value of $property must be one of: ${values.join(', ')}` }),
  );
}

function OptionalIdList(example: string[], description: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], example, description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
    Matches(DIRECTORY_ID, { each: true, message: `each value of $property ${ID_RULE}` }),
  );
}

function OptionalNested(type: () => new () => object, description?: string, isArray = false) {
  return applyDecorators(
    ApiPropertyOptional({ type: isArray ? [type()] : type(), description, nullable: !isArray }),
    IsOptional(),
    ...(isArray ? [IsArray(), ArrayMaxSize(50)] : []),
    ValidateNested({ each: isArray }),
    Type(type),
  );
}

export class PhoneDto {
  @DirectoryId('esempio-serd-centro-phone-1', 'Derived from the owner when omitted: <owner>-phone-<n>', true)
  id?: string;

  @ApiProperty({ example: '+39 02 0000 1101' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 ./()-]{1,30}$/, {
    message: '$property must be a phone number: digits, spaces and . / ( ) -, optionally starting with +',
  })
  number!: string;

  @OptionalText(20, '12')
  extension?: string | null;

  @ApiPropertyOptional({ enum: [...PHONE_TYPES], example: 'voice', nullable: true })
  @IsOptional()
  @IsIn([...PHONE_TYPES], { message: `$property must be one of: ${PHONE_TYPES.join(', ')}` })
  type?: PhoneType | null;

  @OptionalText(300, 'Segreteria, lun-ven 9-13')
  description?: string | null;
}

export class ScheduleDto {
  @DirectoryId('esempio-serd-centro-schedule-1', 'Derived from the service when omitted: <service>-schedule-<n>', true)
  id?: string;

  @ApiProperty({ enum: [...WEEKDAYS], isArray: true, example: ['MO', 'TU', 'WE', 'TH', 'FR'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsIn([...WEEKDAYS], { each: true, message: `each value of $property must be one of: ${WEEKDAYS.join(', ')}` })
  byday!: Weekday[];

  @ApiProperty({ example: '09:00', description: "Milan's wall clock, HH:MM; opening is inclusive" })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '$property must be HH:MM (00:00-23:59)' })
  opensAt!: string;

  @ApiProperty({
    example: '17:00',
    description: 'HH:MM, exclusive; at or before opensAt it runs past midnight; 00:00-00:00 is the whole day',
  })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '$property must be HH:MM (00:00-23:59)' })
  closesAt!: string;

  @OptionalText(300, 'Accoglienza senza appuntamento')
  description?: string | null;

  @DirectoryId(
    'esempio-sede-serd-centro',
    'One of the service locationIds, when the hours are those of a location',
    true,
  )
  locationId?: string | null;
}

export class HandoffContactDto {
  @Text(300, 'Referente invii SostieniMi – SerD Centro', "The desk that receives the line's handoffs")
  deskName!: string;

  @ApiPropertyOptional({ type: String, example: '+39 02 0000 1101', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ./()-]{1,30}$/, { message: '$property must be a phone number' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, example: 'invii.serd-centro@example.org', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: '$property must be an e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    example: 48,
    description: 'The response time agreed with the line, in hours: handoffs waiting longer are escalated, then expire',
    nullable: true,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  responseTimeHours?: number | null;
}

export class AddressDto {
  @Text(300, 'Via della Prova 1')
  address1!: string;

  @OptionalText(300, 'Scala B')
  address2?: string | null;

  @Text(300, 'Milano')
  city!: string;

  @OptionalText(20, '20121')
  postalCode?: string | null;

  @OptionalText(300, 'MI')
  stateProvince?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'IT',
    description: 'ISO 3166-1 alpha-2; IT when omitted',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: '$property must be an ISO 3166-1 alpha-2 code, e.g. IT' })
  country?: string | null;
}

// ---- organisations ----

class OrganizationFields {
  @OptionalText(300, 'ASST Centro')
  alternateName?: string | null;

  @OptionalText(4000, 'Azienda socio-sanitaria territoriale')
  description?: string | null;

  @ApiPropertyOptional({ type: String, example: 'info@asst-centro.example.org', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: '$property must be an e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({ type: String, example: 'https://asst-centro.example.org', nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  website?: string | null;

  @OptionalNested(() => PhoneDto, 'Replaces the list on a change', true)
  phones?: PhoneDto[];
}

export class CreateOrganizationDto extends OrganizationFields {
  @DirectoryId('esempio-asst-centro', 'A stable id; a UUID is generated when omitted', true)
  id?: string;

  @Text(300, 'ASST Milano Centro (esempio)')
  name!: string;
}

export class ChangeOrganizationDto extends OrganizationFields {
  @ApiPropertyOptional({ example: 'ASST Milano Centro (esempio)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  name?: string;

  @ExpectedVersion()
  expectedVersion?: number;
}

// ---- locations ----

class LocationFields {
  @ApiPropertyOptional({ enum: [...LOCATION_TYPES], example: 'physical' })
  @IsOptional()
  @IsIn([...LOCATION_TYPES], { message: `$property must be one of: ${LOCATION_TYPES.join(', ')}` })
  locationType?: LocationType;

  @OptionalText(300, 'Sede Centro')
  alternateName?: string | null;

  @OptionalText(4000, 'Primo piano, ingresso dal cortile')
  description?: string | null;

  @OptionalText(4000, 'M3 Crocetta; tram 9')
  transportation?: string | null;

  @ApiPropertyOptional({ type: Number, example: 45.4555, nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ type: Number, example: 9.1985, nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @OptionalNested(() => AddressDto)
  address?: AddressDto | null;

  @ApiPropertyOptional({ enum: [...MUNICIPI], example: 'municipio_1', nullable: true })
  @IsOptional()
  @IsIn([...MUNICIPI], { message: `$property must be one of: ${MUNICIPI.join(', ')}` })
  municipio?: Municipio | null;

  @OptionalNested(() => PhoneDto, 'Replaces the list on a change', true)
  phones?: PhoneDto[];
}

export class CreateLocationDto extends LocationFields {
  @DirectoryId('esempio-sede-serd-centro', 'A stable id; a UUID is generated when omitted', true)
  id?: string;

  @DirectoryId('esempio-asst-centro', 'The organisation the location belongs to (cannot change later)')
  organizationId!: string;

  @Text(300, 'SerD Centro – sede di via della Prova (esempio)')
  name!: string;
}

export class ChangeLocationDto extends LocationFields {
  @ApiPropertyOptional({ example: 'SerD Centro – sede di via della Prova (esempio)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  name?: string;

  @ExpectedVersion()
  expectedVersion?: number;
}

// ---- services ----

class ServiceFields {
  @OptionalText(300, 'SerD Centro')
  alternateName?: string | null;

  @OptionalText(4000, 'Accoglienza, valutazione e cura delle dipendenze da sostanze')
  description?: string | null;

  @ApiPropertyOptional({ type: String, example: 'https://asst-centro.example.org/serd', nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  url?: string | null;

  @ApiPropertyOptional({ type: String, example: 'serd.centro@example.org', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: '$property must be an e-mail address' })
  email?: string | null;

  @OptionalText(4000, 'Accesso diretto o su invio della linea')
  applicationProcess?: string | null;

  @OptionalText(4000, 'Gratuito')
  feesDescription?: string | null;

  @OptionalText(4000, 'Persone maggiorenni residenti o domiciliate a Milano')
  eligibilityDescription?: string | null;

  @ApiPropertyOptional({ type: 'integer', example: 18, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  minimumAge?: number | null;

  @ApiPropertyOptional({ type: 'integer', example: null, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  maximumAge?: number | null;

  @OptionalListOf(TARGET_GROUPS, ['adults', 'families'])
  targetGroups?: TargetGroup[];

  @OptionalListOf(CONCERNS_TREATED, ['alcohol', 'cocaine'], "The case domain's concern codes the service treats")
  concernsTreated?: ConcernTreated[];

  @OptionalListOf(MUNICIPI, ['municipio_1', 'municipio_2'], 'The municipi the service takes people from')
  areas?: Municipio[];

  @OptionalNested(() => HandoffContactDto, "The desk that receives the line's handoffs, with the agreed response time")
  handoffContact?: HandoffContactDto | null;

  @OptionalNested(() => PhoneDto, 'Replaces the list on a change', true)
  phones?: PhoneDto[];

  @OptionalNested(() => ScheduleDto, 'Weekly opening hours on Milan time; replaces the list on a change', true)
  schedules?: ScheduleDto[];

  @OptionalIdList(['esempio-sede-serd-centro'], 'Where the service is delivered (HSDS service_at_location)')
  locationIds?: string[];

  @OptionalIdList([], 'Taxonomy terms of the service (HSDS attribute)')
  taxonomyTermIds?: string[];
}

export class CreateServiceDto extends ServiceFields {
  @DirectoryId('esempio-serd-centro', 'A stable id; a UUID is generated when omitted', true)
  id?: string;

  @DirectoryId('esempio-asst-centro', 'The organisation providing the service (cannot change later)')
  organizationId!: string;

  @Text(300, 'SerD Centro (esempio)')
  name!: string;

  @ApiProperty({ enum: [...SERVICE_TYPES], example: 'serd' })
  @IsIn([...SERVICE_TYPES], { message: `$property must be one of: ${SERVICE_TYPES.join(', ')}` })
  serviceType!: ServiceType;
}

export class ChangeServiceDto extends ServiceFields {
  @ApiPropertyOptional({ example: 'SerD Centro (esempio)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  name?: string;

  @ApiPropertyOptional({ enum: [...SERVICE_TYPES], example: 'serd' })
  @IsOptional()
  @IsIn([...SERVICE_TYPES], { message: `$property must be one of: ${SERVICE_TYPES.join(', ')}` })
  serviceType?: ServiceType;

  @ExpectedVersion()
  expectedVersion?: number;
}

// ---- taxonomy and status changes ----

export class TaxonomyTermDto {
  @OptionalText(100, 'SERD')
  code?: string | null;

  @Text(300, 'Servizi per le dipendenze')
  name!: string;

  @OptionalText(4000, 'Servizi pubblici e accreditati per le dipendenze')
  description?: string | null;

  @DirectoryId('helpline-addiction-services', 'The broader term', true)
  parentId?: string | null;

  @OptionalText(300, 'helpline-milano')
  taxonomy?: string | null;
}

/** Retiring or reactivating an entry: the version you read (or send If-Match: "3"). */
export class StatusChangeDto {
  @ExpectedVersion()
  expectedVersion?: number;
}

export function ExpectedVersion() {
  return applyDecorators(
    ApiPropertyOptional({
      example: 3,
      description:
        'The version of the entry you read (or send If-Match: "3"); another version gets 409 DIRECTORY_VERSION_CONFLICT',
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

/** The input without `expectedVersion` and without the fields that were not sent (null stays: it clears a value). */
export function entryInput<T extends object>(dto: T): Record<string, unknown> {
  const { expectedVersion: _version, ...rest } = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
  return rest;
}
