import type { ColumnType, Generated } from 'kysely';

/** The directory's tables (migration 20261125150000_resource-directory). */

type Timestamp = ColumnType<Date, never, string>;
type CreatedAt = ColumnType<Date, never, never>;

export interface DirectoryOrganizationsTable {
  id: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  email: string | null;
  website: string | null;
  status: string;
  version: number;
  created_at: Generated<CreatedAt>;
  updated_at: Generated<Timestamp>;
}

export interface DirectoryLocationsTable {
  id: string;
  organization_id: string;
  location_type: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  transportation: string | null;
  latitude: number | null;
  longitude: number | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  postal_code: string | null;
  state_province: string | null;
  country: string | null;
  municipio: string | null;
  status: string;
  version: number;
  created_at: Generated<CreatedAt>;
  updated_at: Generated<Timestamp>;
}

export interface DirectoryServicesTable {
  id: string;
  organization_id: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: string;
  application_process: string | null;
  fees_description: string | null;
  eligibility_description: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  service_type: string;
  target_groups: string[];
  concerns_treated: string[];
  areas: string[];
  handoff_desk_name: string | null;
  handoff_phone: string | null;
  handoff_email: string | null;
  handoff_response_hours: number | null;
  version: number;
  created_at: Generated<CreatedAt>;
  updated_at: Generated<Timestamp>;
}

export interface DirectoryTaxonomyTermsTable {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  parent_id: string | null;
  taxonomy: string | null;
  version: number;
  created_at: Generated<CreatedAt>;
  updated_at: Generated<Timestamp>;
}

export interface DirectoryPhonesTable {
  id: string;
  organization_id: string | null;
  location_id: string | null;
  service_id: string | null;
  position: number;
  number: string;
  extension: string | null;
  type: string | null;
  description: string | null;
}

export interface DirectorySchedulesTable {
  id: string;
  service_id: string;
  location_id: string | null;
  position: number;
  byday: string[];
  opens_at: string;
  closes_at: string;
  description: string | null;
}

export interface DirectoryServiceLocationsTable {
  service_id: string;
  location_id: string;
}

export interface DirectoryServiceTaxonomyTermsTable {
  service_id: string;
  taxonomy_term_id: string;
}

export interface DirectoryChangesTable {
  id: Generated<number>;
  changed_at: Generated<Date>;
  actor_id: string;
  origin: string;
  entity_type: string;
  entity_id: string;
  operation: string;
  entity_version: number;
  changed_fields: string[];
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string, never>;
}

export interface DirectoryTables {
  directory_organizations: DirectoryOrganizationsTable;
  directory_locations: DirectoryLocationsTable;
  directory_services: DirectoryServicesTable;
  directory_taxonomy_terms: DirectoryTaxonomyTermsTable;
  directory_phones: DirectoryPhonesTable;
  directory_schedules: DirectorySchedulesTable;
  directory_service_locations: DirectoryServiceLocationsTable;
  directory_service_taxonomy_terms: DirectoryServiceTaxonomyTermsTable;
  directory_changes: DirectoryChangesTable;
}
