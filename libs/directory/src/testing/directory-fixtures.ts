import type { NewLocation, NewOrganization, NewService } from '../directory.model';

/** Small, valid inputs for tests; override what a test is about. */
export function anOrganization(overrides: Partial<NewOrganization> = {}): NewOrganization {
  return {
    id: 'org-asst-test',
    name: 'ASST di prova (esempio)',
    description: 'Azienda sanitaria di prova',
    email: 'info@example.org',
    website: 'https://example.org',
    phones: [{ number: '+39 02 0000 0001', type: 'voice' }],
    ...overrides,
  };
}

export function aLocation(overrides: Partial<NewLocation> = {}): NewLocation {
  return {
    id: 'loc-via-prova',
    organizationId: 'org-asst-test',
    name: 'Sede di via della Prova',
    address: { address1: 'Via della Prova 1', city: 'Milano', postalCode: '20121', stateProvince: 'MI', country: 'IT' },
    municipio: 'municipio_1',
    latitude: 45.4642,
    longitude: 9.19,
    ...overrides,
  };
}

export function aService(overrides: Partial<NewService> = {}): NewService {
  return {
    id: 'svc-serd-prova',
    organizationId: 'org-asst-test',
    name: 'SerD di prova (esempio)',
    description: 'Servizio per le dipendenze: accoglienza, valutazione e cura',
    serviceType: 'serd',
    targetGroups: ['adults', 'families'],
    concernsTreated: ['alcohol', 'cocaine'],
    areas: ['municipio_1', 'municipio_2'],
    handoffContact: {
      deskName: 'Accoglienza SerD di prova',
      phone: '+39 02 0000 0002',
      email: 'accoglienza@example.org',
      responseTimeHours: 48,
    },
    phones: [{ number: '+39 02 0000 0003' }],
    schedules: [{ byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '17:00' }],
    locationIds: ['loc-via-prova'],
    ...overrides,
  };
}
