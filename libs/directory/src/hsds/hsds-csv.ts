import { CsvSyntaxError, formatCsvTable, parseCsvTable } from '../csv/csv';
import { DirectoryValidationError } from '../directory.errors';
import { DIRECTORY_TIME_ZONE } from '../directory.vocabularies';
import { HSDS_DOCUMENT_FORMAT, HsdsDirectoryDocument } from './hsds.types';

/*
 * HSDS's tabular form: one CSV per table, named as HSDS 3 names them, linked by id columns. Each file starts with a
 * header; a file a reader does not need may be missing, and columns the directory does not know are ignored. Lists
 * inside one cell (byday, x_target_groups, x_concerns_treated) are comma-separated, as HSDS writes byday. Rows of
 * phones and schedules keep their order within their owner.
 */
export const CSV_TABLES = {
  'taxonomy_terms.csv': ['id', 'code', 'name', 'description', 'parent_id', 'taxonomy'],
  'organizations.csv': ['id', 'name', 'alternate_name', 'description', 'email', 'website', 'x_status'],
  'locations.csv': [
    'id',
    'organization_id',
    'location_type',
    'name',
    'alternate_name',
    'description',
    'transportation',
    'latitude',
    'longitude',
    'x_municipio',
    'x_status',
  ],
  'addresses.csv': [
    'id',
    'location_id',
    'address_1',
    'address_2',
    'city',
    'state_province',
    'postal_code',
    'country',
    'address_type',
  ],
  'services.csv': [
    'id',
    'organization_id',
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'status',
    'application_process',
    'fees_description',
    'eligibility_description',
    'minimum_age',
    'maximum_age',
    'x_service_type',
    'x_target_groups',
    'x_concerns_treated',
    'x_handoff_desk_name',
    'x_handoff_phone',
    'x_handoff_email',
    'x_handoff_response_time_hours',
  ],
  'phones.csv': ['id', 'organization_id', 'location_id', 'service_id', 'number', 'extension', 'type', 'description'],
  'schedules.csv': [
    'id',
    'service_id',
    'location_id',
    'freq',
    'byday',
    'opens_at',
    'closes_at',
    'description',
    'x_time_zone',
  ],
  'service_areas.csv': ['id', 'service_id', 'name', 'x_municipio'],
  'service_at_locations.csv': ['id', 'service_id', 'location_id'],
  'attributes.csv': ['id', 'link_id', 'link_entity', 'taxonomy_term_id'],
} as const;

export type CsvFileName = keyof typeof CSV_TABLES;
export const CSV_FILE_NAMES = Object.keys(CSV_TABLES) as CsvFileName[];

type Row = Record<string, string>;

/** The document as CSV files, by file name. */
export function documentToCsvFiles(document: HsdsDirectoryDocument): Record<CsvFileName, string> {
  const rows: Record<CsvFileName, Row[]> = Object.fromEntries(
    CSV_FILE_NAMES.map((name) => [name, []]),
  ) as unknown as Record<CsvFileName, Row[]>;
  const add = (file: CsvFileName, row: Record<string, unknown>) => rows[file].push(cells(row));
  for (const term of document.taxonomy_terms) add('taxonomy_terms.csv', { ...term });
  for (const organization of document.organizations) {
    add('organizations.csv', { ...organization });
    for (const phone of organization.phones) add('phones.csv', { ...phone, organization_id: organization.id });
    for (const location of organization.locations) {
      add('locations.csv', { ...location });
      for (const address of location.addresses) add('addresses.csv', { ...address });
      for (const phone of location.phones) add('phones.csv', { ...phone, location_id: location.id });
    }
    for (const service of organization.services) {
      const handoff = service.x_handoff_contact;
      add('services.csv', {
        ...service,
        x_target_groups: service.x_target_groups.join(','),
        x_concerns_treated: service.x_concerns_treated.join(','),
        x_handoff_desk_name: handoff?.desk_name,
        x_handoff_phone: handoff?.phone,
        x_handoff_email: handoff?.email,
        x_handoff_response_time_hours: handoff?.response_time_hours,
      });
      for (const phone of service.phones) add('phones.csv', { ...phone, service_id: service.id });
      for (const schedule of service.schedules) add('schedules.csv', { ...schedule });
      for (const area of service.service_areas) add('service_areas.csv', { ...area });
      for (const link of service.service_at_locations) add('service_at_locations.csv', { ...link });
      for (const attribute of service.attributes) add('attributes.csv', { ...attribute });
    }
  }
  return Object.fromEntries(
    CSV_FILE_NAMES.map((name) => [name, formatCsvTable(CSV_TABLES[name], rows[name])]),
  ) as Record<CsvFileName, string>;
}

function cells(row: Record<string, unknown>): Row {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([, value]) => value !== undefined && value !== null && typeof value !== 'object')
      .map(([key, value]) => [key, String(value)]),
  );
}

/**
 * Rebuilds the nested document from CSV files (missing files count as empty tables). Rows that point at an owner
 * the files do not hold are refused, naming the file and the row.
 */
export function csvFilesToDocument(files: Partial<Record<string, string>>): unknown {
  const tables = Object.fromEntries(CSV_FILE_NAMES.map((name) => [name, readTable(name, files[name])])) as Record<
    CsvFileName,
    Array<{ row: Row; at: string }>
  >;
  const childrenOf = (file: CsvFileName, column: string, ownerIds: Set<string>) => {
    const byOwner = new Map<string, Row[]>();
    for (const { row, at } of tables[file]) {
      const owner = row[column];
      if (!owner) continue;
      if (!ownerIds.has(owner)) throw new DirectoryValidationError(`${at}.${column}`, `${owner} is not in the files`);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), row]);
    }
    return (id: string) => byOwner.get(id) ?? [];
  };
  const organizationIds = new Set(tables['organizations.csv'].map(({ row }) => row.id ?? ''));
  const locationIds = new Set(tables['locations.csv'].map(({ row }) => row.id ?? ''));
  const serviceIds = new Set(tables['services.csv'].map(({ row }) => row.id ?? ''));
  const locationsOf = childrenOf('locations.csv', 'organization_id', organizationIds);
  const servicesOf = childrenOf('services.csv', 'organization_id', organizationIds);
  const addressesOf = childrenOf('addresses.csv', 'location_id', locationIds);
  const organizationPhones = childrenOf('phones.csv', 'organization_id', organizationIds);
  const locationPhones = childrenOf('phones.csv', 'location_id', locationIds);
  const servicePhones = childrenOf('phones.csv', 'service_id', serviceIds);
  const schedulesOf = childrenOf('schedules.csv', 'service_id', serviceIds);
  const areasOf = childrenOf('service_areas.csv', 'service_id', serviceIds);
  const linksOf = childrenOf('service_at_locations.csv', 'service_id', serviceIds);
  const attributesOf = childrenOf('attributes.csv', 'link_id', serviceIds);
  for (const { row, at } of [...tables['locations.csv'], ...tables['services.csv']]) {
    if (!row.organization_id) throw new DirectoryValidationError(`${at}.organization_id`, 'is required');
  }
  for (const { row, at } of tables['phones.csv']) {
    if ([row.organization_id, row.location_id, row.service_id].filter(Boolean).length !== 1) {
      throw new DirectoryValidationError(at, 'a phone belongs to exactly one organization, location or service');
    }
  }
  const phone = (row: Row) => pick(row, ['id', 'number', 'extension', 'type', 'description']);
  return {
    x_format: HSDS_DOCUMENT_FORMAT,
    hsds_version: '3.0',
    x_time_zone: DIRECTORY_TIME_ZONE,
    taxonomy_terms: tables['taxonomy_terms.csv'].map(({ row }) => pick(row, CSV_TABLES['taxonomy_terms.csv'])),
    organizations: tables['organizations.csv'].map(({ row }) => ({
      ...pick(row, CSV_TABLES['organizations.csv']),
      phones: organizationPhones(row.id!).map(phone),
      locations: locationsOf(row.id!).map((location) => ({
        ...pick(location, CSV_TABLES['locations.csv'], ['latitude', 'longitude']),
        addresses: addressesOf(location.id!).map((address) => pick(address, CSV_TABLES['addresses.csv'])),
        phones: locationPhones(location.id!).map(phone),
      })),
      services: servicesOf(row.id!).map((service) => ({
        ...pick(
          service,
          CSV_TABLES['services.csv'].filter((column) => !column.startsWith('x_handoff_')),
          ['minimum_age', 'maximum_age'],
          ['x_target_groups', 'x_concerns_treated'],
        ),
        x_handoff_contact: service.x_handoff_desk_name
          ? pick(
              {
                desk_name: service.x_handoff_desk_name,
                phone: service.x_handoff_phone ?? '',
                email: service.x_handoff_email ?? '',
                response_time_hours: service.x_handoff_response_time_hours ?? '',
              },
              ['desk_name', 'phone', 'email', 'response_time_hours'],
              ['response_time_hours'],
            )
          : undefined,
        phones: servicePhones(service.id!).map(phone),
        schedules: schedulesOf(service.id!).map((schedule) => pick(schedule, CSV_TABLES['schedules.csv'])),
        service_areas: areasOf(service.id!).map((area) => pick(area, CSV_TABLES['service_areas.csv'])),
        service_at_locations: linksOf(service.id!).map((link) => pick(link, CSV_TABLES['service_at_locations.csv'])),
        attributes: attributesOf(service.id!).map((attribute) => pick(attribute, CSV_TABLES['attributes.csv'])),
      })),
    })),
  };
}

function readTable(name: CsvFileName, text: string | undefined): Array<{ row: Row; at: string }> {
  if (text === undefined) return [];
  let table: ReturnType<typeof parseCsvTable>;
  try {
    table = parseCsvTable(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new DirectoryValidationError(`${name} record ${error.record}`, `${error.reason} (line ${error.line})`);
    throw error;
  }
  if (table.columns.length > 0 && !table.columns.includes('id'))
    throw new DirectoryValidationError(name, 'has no id column');
  return table.rows.map((row, index) => ({ row, at: `${name} row ${index + 2}` }));
}

/** The named columns with a value; numeric columns as numbers (when they read as one), list columns split on commas. */
function pick(
  row: Row,
  columns: readonly string[],
  numbers: readonly string[] = [],
  lists: readonly string[] = [],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const column of columns) {
    const value = row[column]?.trim();
    if (value === undefined || value === '') {
      if (lists.includes(column)) result[column] = [];
      continue;
    }
    if (numbers.includes(column)) result[column] = Number.isFinite(Number(value)) ? Number(value) : value;
    else if (lists.includes(column))
      result[column] = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    else result[column] = value;
  }
  return result;
}
