import type { DirectoryContent } from './hsds-json';
import { readHsdsDocument, toHsdsDocument } from './hsds-json';
import { csvFilesToDocument, documentToCsvFiles } from './hsds-csv';
import type { HsdsDirectoryDocument } from './hsds.types';
import { DirectoryValidationError } from '../directory.errors';
import {
  normalizeLocation,
  normalizeOrganization,
  normalizeService,
  normalizeTaxonomyTerm,
} from '../directory.validation';
import { sampleDirectoryDocument } from '../sample/sample-directory';

/** What the service does on import, without a database: read, then validate each entry. */
function contentOf(document: unknown): DirectoryContent {
  const set = readHsdsDocument(document);
  return {
    taxonomyTerms: set.taxonomyTerms.map((item) => normalizeTaxonomyTerm(item.input)),
    organizations: set.organizations.map((item) => normalizeOrganization(item.input, item.id, item.status)),
    locations: set.locations.map((item) => normalizeLocation(item.input, item.id, item.status)),
    services: set.services.map((item) => normalizeService(item.input, item.id, item.status)),
  };
}

function sample(): HsdsDirectoryDocument {
  return sampleDirectoryDocument() as HsdsDirectoryDocument;
}

function dataOf(document: HsdsDirectoryDocument) {
  return { taxonomy_terms: document.taxonomy_terms, organizations: document.organizations };
}

function minimalDocument(
  service: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    organizations: [
      {
        id: 'org-1',
        name: 'Org',
        services: [{ id: 'svc-1', name: 'Servizio', x_service_type: 'serd', ...service }],
        ...extra,
      },
    ],
  };
}

describe('HSDS JSON', () => {
  it('reads the sample document and writes it back unchanged', () => {
    expect(dataOf(toHsdsDocument(contentOf(sample())))).toEqual(dataOf(sample()));
  });

  it('writes HSDS 3 field names, with the extensions under x_ keys and absent values left out', () => {
    const document = toHsdsDocument(contentOf(sample()));
    const serd = document.organizations
      .flatMap((organization) => organization.services)
      .find((service) => service.id === 'esempio-serd-centro')!;
    expect(serd).toMatchObject({
      organization_id: 'esempio-asst-centro',
      status: 'active',
      x_service_type: 'serd',
      x_handoff_contact: {
        desk_name: expect.any(String),
        phone: expect.any(String),
        email: expect.any(String),
        response_time_hours: 48,
      },
      service_areas: [
        {
          id: 'esempio-serd-centro-area-municipio_1',
          service_id: 'esempio-serd-centro',
          name: 'Municipio 1',
          x_municipio: 'municipio_1',
        },
        expect.anything(),
        expect.anything(),
      ],
      service_at_locations: [
        {
          id: 'esempio-serd-centro-at-esempio-loc-centro-crocetta',
          service_id: 'esempio-serd-centro',
          location_id: 'esempio-loc-centro-crocetta',
        },
      ],
      schedules: [
        {
          id: 'esempio-serd-centro-schedule-1',
          service_id: 'esempio-serd-centro',
          freq: 'WEEKLY',
          byday: 'MO,TU,WE,TH,FR',
          opens_at: '08:30',
          closes_at: '16:30',
          x_time_zone: 'Europe/Rome',
        },
        expect.objectContaining({ byday: 'TH', description: 'Apertura serale del giovedì' }),
      ],
    });
    expect(serd).not.toHaveProperty('alternate_name');
  });

  it('exports a retired service with the HSDS status inactive and reads inactive, defunct and temporarily closed as retired', () => {
    for (const status of ['inactive', 'defunct', 'temporarily closed']) {
      const content = contentOf(minimalDocument({ status }));
      expect(content.services[0]!.status).toBe('retired');
      expect(toHsdsDocument(content).organizations[0]!.services[0]!.status).toBe('inactive');
    }
    expect(() => readHsdsDocument(minimalDocument({ status: 'closed' }))).toThrow(DirectoryValidationError);
  });

  it('reads the other spellings HSDS allows: areas by name, byday as a list, times with seconds, terms inside attributes', () => {
    const content = contentOf(
      minimalDocument({
        service_areas: [{ id: 'a', name: 'Municipio 4' }],
        schedules: [{ id: 's', byday: ['TU', 'MO'], opens_at: '09:00:00', closes_at: '12:30:00' }],
        attributes: [{ id: 'x', link_entity: 'service', taxonomy_term: { id: 'term-1', name: 'Ambulatorio' } }],
      }),
    );
    expect(content.services[0]).toMatchObject({
      areas: ['municipio_4'],
      schedules: [{ id: 's', byday: ['MO', 'TU'], opensAt: '09:00', closesAt: '12:30' }],
      taxonomyTermIds: ['term-1'],
    });
    expect(content.taxonomyTerms).toEqual([
      { id: 'term-1', code: null, name: 'Ambulatorio', description: null, parentId: null, taxonomy: null },
    ]);
  });

  it.each([
    ['another format', { x_format: 'something-else', organizations: [] }, 'x_format'],
    ['another time zone', { x_time_zone: 'Europe/London', organizations: [] }, 'x_time_zone'],
    ['a list that is not one', { organizations: {} }, 'organizations'],
    [
      'the same id twice',
      {
        organizations: [
          { id: 'o', name: 'A' },
          { id: 'o', name: 'B' },
        ],
      },
      'organization[o]',
    ],
    [
      'two addresses',
      { organizations: [{ id: 'o', name: 'A', locations: [{ id: 'l', name: 'L', addresses: [{}, {}] }] }] },
      'location[l].addresses',
    ],
    [
      'an area outside Milan',
      minimalDocument({ service_areas: [{ id: 'a', name: 'Monza' }] }),
      'service[svc-1].service_areas[0].x_municipio',
    ],
    [
      'a fortnightly schedule',
      minimalDocument({ schedules: [{ id: 's', freq: 'WEEKLY', interval: 2, byday: 'MO' }] }),
      'service[svc-1].schedules[0].interval',
    ],
    [
      'dated schedules',
      minimalDocument({ schedules: [{ id: 's', byday: 'MO', valid_from: '2026-01-01' }] }),
      'service[svc-1].schedules[0].valid_from',
    ],
    [
      'an attribute of something else',
      minimalDocument({ attributes: [{ id: 'x', link_entity: 'location', taxonomy_term_id: 't' }] }),
      'service[svc-1].attributes[0].link_entity',
    ],
  ])('refuses %s, naming where', (_what, document, field) => {
    try {
      readHsdsDocument(document);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DirectoryValidationError);
      expect((error as DirectoryValidationError).field).toBe(field);
    }
  });
});

describe('HSDS CSV', () => {
  it('writes one file per table and reads the same document back', () => {
    const files = documentToCsvFiles(sample());
    expect(Object.keys(files)).toEqual([
      'taxonomy_terms.csv',
      'organizations.csv',
      'locations.csv',
      'addresses.csv',
      'services.csv',
      'phones.csv',
      'schedules.csv',
      'service_areas.csv',
      'service_at_locations.csv',
      'attributes.csv',
    ]);
    expect(files['schedules.csv'].split('\r\n')[0]).toBe(
      'id,service_id,location_id,freq,byday,opens_at,closes_at,description,x_time_zone',
    );
    expect(dataOf(toHsdsDocument(contentOf(csvFilesToDocument(files))))).toEqual(dataOf(sample()));
  });

  it('keeps values with commas, quotes and line breaks', () => {
    const document = sample();
    document.organizations[0]!.description = 'Prima riga, "citata"\r\nseconda riga';
    document.organizations[0]!.services[0]!.name = 'Nome, con "virgolette"';
    const back = contentOf(csvFilesToDocument(documentToCsvFiles(document)));
    expect(
      back.organizations.find((organization) => organization.id === document.organizations[0]!.id)!.description,
    ).toBe('Prima riga, "citata"\r\nseconda riga');
    expect(back.services.find((service) => service.id === document.organizations[0]!.services[0]!.id)!.name).toBe(
      'Nome, con "virgolette"',
    );
  });

  it('reads files written by others: missing tables, unknown columns, columns in another order', () => {
    const document = csvFilesToDocument({
      'organizations.csv': 'name,id,tax_status\r\nOrg,org-1,exempt\r\n',
      'services.csv':
        'id,organization_id,name,status,x_service_type,x_target_groups,minimum_age\r\nsvc-1,org-1,Servizio,active,smi,"adults,families",18\r\n',
    });
    const content = contentOf(document);
    expect(content.organizations).toEqual([expect.objectContaining({ id: 'org-1', name: 'Org', phones: [] })]);
    expect(content.services).toEqual([
      expect.objectContaining({
        id: 'svc-1',
        serviceType: 'smi',
        targetGroups: ['adults', 'families'],
        minimumAge: 18,
        handoffContact: null,
      }),
    ]);
  });

  it.each([
    [
      'a phone with two owners',
      { 'phones.csv': 'id,organization_id,service_id,number\r\np,org-1,svc-1,02 1\r\n' },
      'phones.csv row 2',
    ],
    [
      'a schedule of a service not in the files',
      { 'schedules.csv': 'id,service_id,byday,opens_at,closes_at\r\ns,svc-9,MO,09:00,10:00\r\n' },
      'schedules.csv row 2.service_id',
    ],
    [
      'a broken quote',
      { 'services.csv': 'id,organization_id,name\r\nsvc-1,org-1,"Servizio\r\n' },
      'services.csv record 2',
    ],
    ['a file without an id column', { 'addresses.csv': 'location_id,address_1\r\nl,Via Roma\r\n' }, 'addresses.csv'],
  ])('refuses %s, naming the file and row', (_what, files, field) => {
    const base = {
      'organizations.csv': 'id,name\r\norg-1,Org\r\n',
      'services.csv': 'id,organization_id,name,x_service_type\r\nsvc-1,org-1,Servizio,serd\r\n',
    };
    try {
      csvFilesToDocument({ ...base, ...files });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DirectoryValidationError);
      expect((error as DirectoryValidationError).field).toBe(field);
    }
  });
});
