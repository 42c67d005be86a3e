/**
 * The directory's exchange document: Open Referral HSDS 3 JSON, organisations with their locations and services
 * nested, HSDS 3 field names where HSDS has the field, this project's extensions under keys that start with `x_`.
 * Optional fields without a value are left out. See libs/directory/README.md.
 */
export interface HsdsDirectoryDocument {
  /** Names this format; the importer refuses documents of another. */
  x_format: typeof HSDS_DOCUMENT_FORMAT;
  hsds_version: '3.0';
  /** True for illustrative data that must not be taken for an official list (the bundled sample). */
  sample?: boolean;
  description?: string;
  /** Every schedule time is a wall-clock time in this zone. */
  x_time_zone: 'Europe/Rome';
  taxonomy_terms: HsdsTaxonomyTerm[];
  organizations: HsdsOrganization[];
}

export const HSDS_DOCUMENT_FORMAT = 'helpline-directory/hsds-3';

export interface HsdsTaxonomyTerm {
  id: string;
  code?: string;
  name: string;
  description?: string;
  parent_id?: string;
  taxonomy?: string;
}

export interface HsdsPhone {
  id: string;
  number: string;
  extension?: string;
  type?: string;
  description?: string;
}

export interface HsdsOrganization {
  id: string;
  name: string;
  alternate_name?: string;
  description?: string;
  email?: string;
  website?: string;
  /** active | retired. */
  x_status: string;
  phones: HsdsPhone[];
  locations: HsdsLocation[];
  services: HsdsService[];
}

export interface HsdsAddress {
  id: string;
  location_id: string;
  address_1: string;
  address_2?: string;
  city: string;
  state_province?: string;
  postal_code?: string;
  country: string;
  address_type: 'physical';
}

export interface HsdsLocation {
  id: string;
  organization_id: string;
  location_type: string;
  name: string;
  alternate_name?: string;
  description?: string;
  transportation?: string;
  latitude?: number;
  longitude?: number;
  /** municipio_1 .. municipio_9. */
  x_municipio?: string;
  /** active | retired. */
  x_status: string;
  addresses: HsdsAddress[];
  phones: HsdsPhone[];
}

export interface HsdsSchedule {
  id: string;
  service_id: string;
  location_id?: string;
  freq: 'WEEKLY';
  /** RFC 5545 days, comma-separated: MO,TU,WE. */
  byday: string;
  /** HH:MM on the wall clock of `x_time_zone`. */
  opens_at: string;
  closes_at: string;
  description?: string;
  x_time_zone: 'Europe/Rome';
}

export interface HsdsServiceArea {
  id: string;
  service_id: string;
  name: string;
  x_municipio: string;
}

export interface HsdsServiceAtLocation {
  id: string;
  service_id: string;
  location_id: string;
}

export interface HsdsAttribute {
  id: string;
  link_id: string;
  link_entity: 'service';
  taxonomy_term_id: string;
}

export interface HsdsHandoffContact {
  desk_name: string;
  phone?: string;
  email?: string;
  response_time_hours?: number;
}

export interface HsdsService {
  id: string;
  organization_id: string;
  name: string;
  alternate_name?: string;
  description?: string;
  url?: string;
  email?: string;
  /** HSDS: active | inactive (a retired service is exported as inactive). */
  status: string;
  application_process?: string;
  fees_description?: string;
  eligibility_description?: string;
  minimum_age?: number;
  maximum_age?: number;
  x_service_type: string;
  x_target_groups: string[];
  x_concerns_treated: string[];
  x_handoff_contact?: HsdsHandoffContact;
  phones: HsdsPhone[];
  schedules: HsdsSchedule[];
  service_areas: HsdsServiceArea[];
  service_at_locations: HsdsServiceAtLocation[];
  attributes: HsdsAttribute[];
}
