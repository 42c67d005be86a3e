import {
  CONCERNS_TREATED,
  DIRECTORY_CHANGE_ORIGINS,
  DIRECTORY_ENTITY_TYPES,
  DIRECTORY_OPERATIONS,
  ENTRY_STATUSES,
  LOCATION_TYPES,
  MUNICIPI,
  PHONE_TYPES,
  SERVICE_TYPES,
  TARGET_GROUPS,
  WEEKDAYS,
} from '@helpline/directory';
import {
  boolean,
  freeObject,
  instant,
  integer,
  keyedBy,
  listOf,
  named,
  nullable,
  number,
  object,
  oneOf,
  text,
} from '../common/response-schema';

const CLOCK_TIME = { type: 'string' as const, pattern: '^\\d{2}:\\d{2}$', example: '09:00' };
const VERSION = integer('The entry’s version (also the ETag): send it back as If-Match with a change');

const PHONE = named(
  'DirectoryPhone',
  object({
    id: text(),
    number: text(),
    extension: nullable(text()),
    type: nullable(oneOf(PHONE_TYPES)),
    description: nullable(text()),
  }),
);

export const ORGANIZATION = named(
  'DirectoryOrganization',
  object({
    id: text(),
    name: text(),
    alternateName: nullable(text()),
    description: nullable(text()),
    email: nullable(text()),
    website: nullable(text()),
    phones: listOf(PHONE),
    status: oneOf(ENTRY_STATUSES),
    version: VERSION,
  }),
);

export const LOCATION = named(
  'DirectoryLocation',
  object({
    id: text(),
    organizationId: text(),
    locationType: oneOf(LOCATION_TYPES),
    name: text(),
    alternateName: nullable(text()),
    description: nullable(text()),
    transportation: nullable(text()),
    latitude: nullable(number()),
    longitude: nullable(number()),
    address: nullable(
      object({
        address1: text(),
        address2: nullable(text()),
        city: text(),
        postalCode: nullable(text()),
        stateProvince: nullable(text()),
        country: text('ISO 3166-1 alpha-2'),
      }),
    ),
    municipio: nullable(oneOf(MUNICIPI)),
    phones: listOf(PHONE),
    status: oneOf(ENTRY_STATUSES),
    version: VERSION,
  }),
);

export const TAXONOMY_TERM = named(
  'DirectoryTaxonomyTerm',
  object({
    id: text(),
    code: nullable(text()),
    name: text(),
    description: nullable(text()),
    parentId: nullable(text()),
    taxonomy: nullable(text()),
    version: integer(),
  }),
);

const serviceEntry = {
  id: text(),
  organizationId: text(),
  name: text(),
  alternateName: nullable(text()),
  description: nullable(text()),
  url: nullable(text()),
  email: nullable(text()),
  status: oneOf(ENTRY_STATUSES),
  applicationProcess: nullable(text()),
  feesDescription: nullable(text()),
  eligibilityDescription: nullable(text()),
  minimumAge: nullable(integer()),
  maximumAge: nullable(integer()),
  serviceType: oneOf(SERVICE_TYPES),
  targetGroups: listOf(oneOf(TARGET_GROUPS)),
  concernsTreated: listOf(oneOf(CONCERNS_TREATED)),
  areas: listOf(oneOf(MUNICIPI), 'The municipi the service takes people from'),
  handoffContact: nullable(
    object({
      deskName: text(),
      phone: nullable(text()),
      email: nullable(text()),
      responseTimeHours: nullable(number('The response time agreed with the line, in hours')),
    }),
  ),
  phones: listOf(PHONE),
  schedules: listOf(
    object({
      id: text(),
      byday: listOf(oneOf(WEEKDAYS)),
      opensAt: CLOCK_TIME,
      closesAt: CLOCK_TIME,
      description: nullable(text()),
      locationId: nullable(text()),
    }),
    "Weekly opening intervals on Milan's wall clock",
  ),
  locationIds: listOf(text()),
  taxonomyTermIds: listOf(text()),
  version: VERSION,
};

export const SERVICE = named('DirectoryService', object(serviceEntry));

export const SERVICE_VIEW = named(
  'DirectoryServiceView',
  object(
    {
      ...serviceEntry,
      organization: ORGANIZATION,
      locations: listOf(LOCATION, 'Where the service is delivered, retired ones included (see status)'),
      taxonomyTerms: listOf(TAXONOMY_TERM),
    },
    { openNow: boolean('Whether a schedule is open at the time of the request (search with at, or read one service)') },
  ),
);

export const SERVICE_SEARCH_PAGE = named(
  'DirectoryServicePage',
  object({
    items: listOf(SERVICE_VIEW),
    nextCursor: nullable(text('Pass as after for the next page; null on the last page')),
  }),
);

export const CHANGES_PAGE = named(
  'DirectoryChangesPage',
  object({
    items: listOf(
      object({
        id: integer('Position in the audit log, increasing'),
        changedAt: instant(),
        actorId: text(),
        origin: oneOf(DIRECTORY_CHANGE_ORIGINS),
        entityType: oneOf(DIRECTORY_ENTITY_TYPES),
        entityId: text(),
        operation: oneOf(DIRECTORY_OPERATIONS),
        entityVersion: integer("The entry's version after the change"),
        changedFields: listOf(text()),
        before: nullable(freeObject('The entry before the change (null for a creation)')),
        after: freeObject('The entry after the change'),
      }),
    ),
    nextAfter: nullable(integer('Pass as after for the next page; null on the last page')),
  }),
);

export const IMPORT_SUMMARY = named(
  'DirectoryImportSummary',
  object({
    created: keyedBy(DIRECTORY_ENTITY_TYPES, integer()),
    changed: keyedBy(DIRECTORY_ENTITY_TYPES, integer()),
    unchanged: keyedBy(DIRECTORY_ENTITY_TYPES, integer()),
  }),
);

const HSDS_DOCUMENT = named('HsdsDirectoryDocument', {
  ...object(
    {
      x_format: oneOf(['helpline-directory/hsds-3']),
      hsds_version: oneOf(['3.0']),
      x_time_zone: oneOf(['Europe/Rome']),
      taxonomy_terms: listOf(freeObject('An HSDS 3 taxonomy term')),
      organizations: listOf(freeObject('An HSDS 3 organization, its locations and services nested')),
    },
    { sample: boolean(), description: text() },
  ),
  description:
    'Open Referral HSDS 3 JSON; this project’s extensions under keys that start with x_ (libs/directory/README.md)',
});

const CSV_FILES = named('HsdsCsvFiles', {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'HSDS CSV file name -> CSV text',
});

export const DIRECTORY_EXPORT = { oneOf: [HSDS_DOCUMENT, CSV_FILES] };
