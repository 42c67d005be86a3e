import { DirectoryValidationError } from '../directory.errors';
import type { LocationData, OrganizationData, Phone, ServiceData, TaxonomyTermData } from '../directory.model';
import { compareIds, requireId } from '../directory.validation';
import { DIRECTORY_TIME_ZONE, EntryStatus, MUNICIPI, Municipio, isOneOf } from '../directory.vocabularies';
import {
  HSDS_DOCUMENT_FORMAT,
  HsdsDirectoryDocument,
  HsdsLocation,
  HsdsOrganization,
  HsdsPhone,
  HsdsService,
  HsdsTaxonomyTerm,
} from './hsds.types';

/** Everything the directory holds, as exported. */
export interface DirectoryContent {
  taxonomyTerms: readonly TaxonomyTermData[];
  organizations: readonly OrganizationData[];
  locations: readonly LocationData[];
  services: readonly ServiceData[];
}

/** One entry read from a document, not yet validated: `input` has the shape of the service API's inputs. */
export interface ImportItem {
  id: string;
  status: EntryStatus;
  input: Record<string, unknown>;
  /** Where the entry came from, to name it in an error: `service[serd-centro]`. */
  label: string;
}

export interface DirectoryImportSet {
  taxonomyTerms: ImportItem[];
  organizations: ImportItem[];
  locations: ImportItem[];
  services: ImportItem[];
}

// ---- export ----

export function toHsdsDocument(
  content: DirectoryContent,
  header: { description?: string; sample?: boolean } = {},
): HsdsDirectoryDocument {
  const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => compareIds(a.id, b.id));
  return {
    x_format: HSDS_DOCUMENT_FORMAT,
    hsds_version: '3.0',
    ...(header.sample === undefined ? {} : { sample: header.sample }),
    ...(header.description === undefined ? {} : { description: header.description }),
    x_time_zone: DIRECTORY_TIME_ZONE,
    taxonomy_terms: byId(content.taxonomyTerms).map(taxonomyTermToHsds),
    organizations: byId(content.organizations).map((organization) =>
      organizationToHsds(
        organization,
        byId(content.locations.filter((location) => location.organizationId === organization.id)),
        byId(content.services.filter((service) => service.organizationId === organization.id)),
      ),
    ),
  };
}

function taxonomyTermToHsds(term: TaxonomyTermData): HsdsTaxonomyTerm {
  return compact({
    id: term.id,
    code: term.code,
    name: term.name,
    description: term.description,
    parent_id: term.parentId,
    taxonomy: term.taxonomy,
  }) as HsdsTaxonomyTerm;
}

function organizationToHsds(
  organization: OrganizationData,
  locations: LocationData[],
  services: ServiceData[],
): HsdsOrganization {
  return compact({
    id: organization.id,
    name: organization.name,
    alternate_name: organization.alternateName,
    description: organization.description,
    email: organization.email,
    website: organization.website,
    x_status: organization.status,
    phones: organization.phones.map(phoneToHsds),
    locations: locations.map(locationToHsds),
    services: services.map(serviceToHsds),
  }) as HsdsOrganization;
}

function phoneToHsds(phone: Phone): HsdsPhone {
  return compact({
    id: phone.id,
    number: phone.number,
    extension: phone.extension,
    type: phone.type,
    description: phone.description,
  }) as HsdsPhone;
}

function locationToHsds(location: LocationData): HsdsLocation {
  const address = location.address;
  return compact({
    id: location.id,
    organization_id: location.organizationId,
    location_type: location.locationType,
    name: location.name,
    alternate_name: location.alternateName,
    description: location.description,
    transportation: location.transportation,
    latitude: location.latitude,
    longitude: location.longitude,
    x_municipio: location.municipio,
    x_status: location.status,
    addresses: address
      ? [
          compact({
            id: `${location.id}-address`,
            location_id: location.id,
            address_1: address.address1,
            address_2: address.address2,
            city: address.city,
            state_province: address.stateProvince,
            postal_code: address.postalCode,
            country: address.country,
            address_type: 'physical',
          }),
        ]
      : [],
    phones: location.phones.map(phoneToHsds),
  }) as HsdsLocation;
}

function serviceToHsds(service: ServiceData): HsdsService {
  const handoff = service.handoffContact;
  return compact({
    id: service.id,
    organization_id: service.organizationId,
    name: service.name,
    alternate_name: service.alternateName,
    description: service.description,
    url: service.url,
    email: service.email,
    status: service.status === 'active' ? 'active' : 'inactive',
    application_process: service.applicationProcess,
    fees_description: service.feesDescription,
    eligibility_description: service.eligibilityDescription,
    minimum_age: service.minimumAge,
    maximum_age: service.maximumAge,
    x_service_type: service.serviceType,
    x_target_groups: service.targetGroups,
    x_concerns_treated: service.concernsTreated,
    x_handoff_contact: handoff
      ? compact({
          desk_name: handoff.deskName,
          phone: handoff.phone,
          email: handoff.email,
          response_time_hours: handoff.responseTimeHours,
        })
      : null,
    phones: service.phones.map(phoneToHsds),
    schedules: service.schedules.map((schedule) =>
      compact({
        id: schedule.id,
        service_id: service.id,
        location_id: schedule.locationId,
        freq: 'WEEKLY',
        byday: schedule.byday.join(','),
        opens_at: schedule.opensAt,
        closes_at: schedule.closesAt,
        description: schedule.description,
        x_time_zone: DIRECTORY_TIME_ZONE,
      }),
    ),
    service_areas: service.areas.map((municipio) => ({
      id: `${service.id}-area-${municipio}`,
      service_id: service.id,
      name: municipioName(municipio),
      x_municipio: municipio,
    })),
    service_at_locations: service.locationIds.map((locationId) => ({
      id: `${service.id}-at-${locationId}`,
      service_id: service.id,
      location_id: locationId,
    })),
    attributes: service.taxonomyTermIds.map((termId) => ({
      id: `${service.id}-term-${termId}`,
      link_id: service.id,
      link_entity: 'service',
      taxonomy_term_id: termId,
    })),
  }) as HsdsService;
}

export function municipioName(municipio: Municipio): string {
  return `Municipio ${municipio.slice('municipio_'.length)}`;
}

/** Drops keys whose value is null or undefined: an absent optional field is left out of the document. */
function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== null && value !== undefined),
  ) as Partial<T>;
}

// ---- import ----

/**
 * Reads a document into import items. Only the document's structure is checked here (objects, lists, the
 * schedule features the directory supports); the values are validated by the service, as for any input.
 */
export function readHsdsDocument(document: unknown): DirectoryImportSet {
  const root = object(document, 'document');
  if (root.x_format !== undefined && root.x_format !== HSDS_DOCUMENT_FORMAT) {
    throw new DirectoryValidationError('x_format', `must be ${HSDS_DOCUMENT_FORMAT}`);
  }
  if (root.x_time_zone !== undefined && root.x_time_zone !== DIRECTORY_TIME_ZONE) {
    throw new DirectoryValidationError('x_time_zone', `schedules must be in ${DIRECTORY_TIME_ZONE}`);
  }
  const set: DirectoryImportSet = { taxonomyTerms: [], organizations: [], locations: [], services: [] };
  const termIds = new Set<string>();
  for (const [index, item] of list(root.taxonomy_terms, 'taxonomy_terms').entries()) {
    const term = readTaxonomyTerm(item, `taxonomy_terms[${index}]`);
    set.taxonomyTerms.push(term);
    termIds.add(term.id);
  }
  for (const [orgIndex, item] of list(root.organizations, 'organizations').entries()) {
    const path = `organizations[${orgIndex}]`;
    const organization = object(item, path);
    const organizationId = requireId(organization.id, `${path}.id`);
    const label = `organization[${organizationId}]`;
    set.organizations.push({
      id: organizationId,
      status: entryStatus(organization.x_status, `${label}.x_status`),
      label,
      input: {
        name: organization.name,
        alternateName: organization.alternate_name,
        description: organization.description,
        email: organization.email,
        website: organization.website,
        phones: readPhones(organization.phones, `${label}.phones`),
      },
    });
    for (const [index, locationItem] of list(organization.locations, `${label}.locations`).entries()) {
      set.locations.push(readLocation(locationItem, `${label}.locations[${index}]`, organizationId));
    }
    for (const [index, serviceItem] of list(organization.services, `${label}.services`).entries()) {
      const service = readService(serviceItem, `${label}.services[${index}]`, organizationId);
      set.services.push(service.item);
      // A term given only inside an attribute (HSDS's nested form) is defined there.
      for (const term of service.embeddedTerms) {
        if (!termIds.has(term.id)) {
          set.taxonomyTerms.push(term);
          termIds.add(term.id);
        }
      }
    }
  }
  for (const [kind, items] of Object.entries(set) as Array<[string, ImportItem[]]>) {
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.id)) throw new DirectoryValidationError(item.label, `the ${kind} list names this id twice`);
      seen.add(item.id);
    }
  }
  return set;
}

function readTaxonomyTerm(value: unknown, path: string): ImportItem {
  const term = object(value, path);
  const id = requireId(term.id, `${path}.id`);
  return {
    id,
    status: 'active',
    label: `taxonomy_term[${id}]`,
    input: {
      id,
      code: term.code,
      name: term.name,
      description: term.description,
      parentId: term.parent_id,
      taxonomy: term.taxonomy,
    },
  };
}

function readLocation(value: unknown, path: string, organizationId: string): ImportItem {
  const location = object(value, path);
  const id = requireId(location.id, `${path}.id`);
  const label = `location[${id}]`;
  const addresses = list(location.addresses, `${label}.addresses`);
  if (addresses.length > 1)
    throw new DirectoryValidationError(`${label}.addresses`, 'a location has at most one address');
  const address = addresses.length === 0 ? null : object(addresses[0], `${label}.addresses[0]`);
  return {
    id,
    status: entryStatus(location.x_status, `${label}.x_status`),
    label,
    input: {
      organizationId,
      locationType: location.location_type,
      name: location.name,
      alternateName: location.alternate_name,
      description: location.description,
      transportation: location.transportation,
      latitude: location.latitude,
      longitude: location.longitude,
      municipio: blankToNull(location.x_municipio),
      address: address && {
        address1: address.address_1,
        address2: address.address_2,
        city: address.city,
        postalCode: address.postal_code,
        stateProvince: address.state_province,
        country: address.country,
      },
      phones: readPhones(location.phones, `${label}.phones`),
    },
  };
}

const UNSUPPORTED_SCHEDULE_FIELDS = [
  'valid_from',
  'valid_to',
  'dtstart',
  'until',
  'count',
  'byweekno',
  'bymonthday',
  'byyearday',
  'wkst',
];

function readService(
  value: unknown,
  path: string,
  organizationId: string,
): { item: ImportItem; embeddedTerms: ImportItem[] } {
  const service = object(value, path);
  const id = requireId(service.id, `${path}.id`);
  const label = `service[${id}]`;
  const handoff =
    service.x_handoff_contact === undefined || service.x_handoff_contact === null
      ? null
      : object(service.x_handoff_contact, `${label}.x_handoff_contact`);
  const schedules = list(service.schedules, `${label}.schedules`).map((item, index) => {
    const schedulePath = `${label}.schedules[${index}]`;
    const schedule = object(item, schedulePath);
    if (schedule.freq !== undefined && schedule.freq !== 'WEEKLY') {
      throw new DirectoryValidationError(`${schedulePath}.freq`, 'only WEEKLY opening hours are supported');
    }
    if (
      schedule.interval !== undefined &&
      schedule.interval !== null &&
      schedule.interval !== 1 &&
      schedule.interval !== ''
    ) {
      throw new DirectoryValidationError(
        `${schedulePath}.interval`,
        'only every-week opening hours (interval 1) are supported',
      );
    }
    for (const field of UNSUPPORTED_SCHEDULE_FIELDS) {
      if (schedule[field] !== undefined && schedule[field] !== null && schedule[field] !== '') {
        throw new DirectoryValidationError(`${schedulePath}.${field}`, 'not supported: only weekly opening hours are');
      }
    }
    if (schedule.timezone !== undefined && schedule.timezone !== null && schedule.timezone !== '') {
      throw new DirectoryValidationError(
        `${schedulePath}.timezone`,
        `a fixed UTC offset cannot follow daylight saving: give x_time_zone ${DIRECTORY_TIME_ZONE}`,
      );
    }
    if (schedule.x_time_zone !== undefined && schedule.x_time_zone !== DIRECTORY_TIME_ZONE) {
      throw new DirectoryValidationError(`${schedulePath}.x_time_zone`, `must be ${DIRECTORY_TIME_ZONE}`);
    }
    return {
      id: schedule.id,
      byday:
        typeof schedule.byday === 'string'
          ? schedule.byday
              .split(',')
              .map((day) => day.trim())
              .filter((day) => day !== '')
          : schedule.byday,
      opensAt: schedule.opens_at,
      closesAt: schedule.closes_at,
      description: schedule.description,
      locationId: blankToNull(schedule.location_id),
    };
  });
  const areas = list(service.service_areas, `${label}.service_areas`).map((item, index) => {
    const areaPath = `${label}.service_areas[${index}]`;
    const area = object(item, areaPath);
    const municipio = area.x_municipio ?? municipioFromName(area.name);
    if (!isOneOf(MUNICIPI, municipio)) {
      throw new DirectoryValidationError(`${areaPath}.x_municipio`, `must be one of ${MUNICIPI.join(', ')}`);
    }
    return municipio;
  });
  const locationIds = list(service.service_at_locations, `${label}.service_at_locations`).map(
    (item, index) => object(item, `${label}.service_at_locations[${index}]`).location_id,
  );
  const embeddedTerms: ImportItem[] = [];
  const taxonomyTermIds = list(service.attributes, `${label}.attributes`).map((item, index) => {
    const attributePath = `${label}.attributes[${index}]`;
    const attribute = object(item, attributePath);
    if (attribute.link_entity !== undefined && attribute.link_entity !== 'service') {
      throw new DirectoryValidationError(`${attributePath}.link_entity`, 'attributes of a service link the service');
    }
    if (attribute.taxonomy_term !== undefined && attribute.taxonomy_term !== null) {
      embeddedTerms.push(readTaxonomyTerm(attribute.taxonomy_term, `${attributePath}.taxonomy_term`));
    }
    return attribute.taxonomy_term_id ?? embeddedTerms.at(-1)?.id;
  });
  return {
    embeddedTerms,
    item: {
      id,
      status: serviceStatus(service.status, `${label}.status`),
      label,
      input: {
        organizationId,
        name: service.name,
        alternateName: service.alternate_name,
        description: service.description,
        url: service.url,
        email: service.email,
        applicationProcess: service.application_process,
        feesDescription: service.fees_description,
        eligibilityDescription: service.eligibility_description,
        minimumAge: service.minimum_age,
        maximumAge: service.maximum_age,
        serviceType: service.x_service_type,
        targetGroups: service.x_target_groups,
        concernsTreated: service.x_concerns_treated,
        areas,
        handoffContact: handoff && {
          deskName: handoff.desk_name,
          phone: handoff.phone,
          email: handoff.email,
          responseTimeHours: handoff.response_time_hours,
        },
        phones: readPhones(service.phones, `${label}.phones`),
        schedules,
        locationIds,
        taxonomyTermIds,
      },
    },
  };
}

function readPhones(value: unknown, path: string): unknown[] {
  return list(value, path).map((item, index) => {
    const phone = object(item, `${path}[${index}]`);
    return {
      id: phone.id,
      number: phone.number,
      extension: phone.extension,
      type: phone.type,
      description: phone.description,
    };
  });
}

function entryStatus(value: unknown, field: string): EntryStatus {
  if (value === undefined || value === null || value === '' || value === 'active') return 'active';
  if (value === 'retired') return 'retired';
  throw new DirectoryValidationError(field, 'must be active or retired');
}

/** HSDS service status: `inactive`, `defunct` and `temporarily closed` all mean the service takes no referrals. */
function serviceStatus(value: unknown, field: string): EntryStatus {
  if (value === undefined || value === null || value === '' || value === 'active') return 'active';
  if (value === 'inactive' || value === 'defunct' || value === 'temporarily closed' || value === 'retired')
    return 'retired';
  throw new DirectoryValidationError(field, 'must be active, inactive, defunct or temporarily closed');
}

function municipioFromName(name: unknown): string | undefined {
  const match = typeof name === 'string' ? /^municipio\s*([1-9])$/i.exec(name.trim()) : null;
  return match ? `municipio_${match[1]}` : undefined;
}

function blankToNull(value: unknown): unknown {
  return value === undefined || value === '' ? null : value;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DirectoryValidationError(path, 'must be an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DirectoryValidationError(path, 'must be a list');
  return value;
}
