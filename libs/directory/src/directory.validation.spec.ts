import { DirectoryValidationError } from './directory.errors';
import {
  normalizeLocation,
  normalizeOrganization,
  normalizeService,
  normalizeTaxonomyTerm,
  requireOnlyKeys,
} from './directory.validation';
import { aLocation, anOrganization, aService } from './testing/directory-fixtures';

function refusal(work: () => unknown): { field?: string; reason: string } {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryValidationError);
    const { field, reason, code, kind } = error as DirectoryValidationError;
    expect({ code, kind }).toEqual({ code: 'DIRECTORY_VALIDATION', kind: 'invalid' });
    return { field, reason };
  }
  throw new Error('expected a DirectoryValidationError');
}

describe('directory validation', () => {
  describe('services', () => {
    it('gives canonical data: trimmed text, blanks as null, vocabulary lists de-duplicated in vocabulary order, ids sorted', () => {
      const data = normalizeService(
        aService({
          name: '  SerD di prova  ',
          alternateName: '   ',
          targetGroups: ['families', 'adults', 'families'],
          concernsTreated: ['gambling', 'alcohol'],
          areas: ['municipio_9', 'municipio_1'],
          locationIds: ['loc-b', 'loc-a', 'loc-b'],
          schedules: [{ byday: ['FR', 'MO', 'MO'], opensAt: '09:00:00', closesAt: '13:00', locationId: 'loc-a' }],
        }),
        'svc-1',
        'active',
      );
      expect(data).toMatchObject({
        id: 'svc-1',
        name: 'SerD di prova',
        alternateName: null,
        url: null,
        targetGroups: ['adults', 'families'],
        concernsTreated: ['alcohol', 'gambling'],
        areas: ['municipio_1', 'municipio_9'],
        locationIds: ['loc-a', 'loc-b'],
        schedules: [
          {
            id: 'svc-1-schedule-1',
            byday: ['MO', 'FR'],
            opensAt: '09:00',
            closesAt: '13:00',
            description: null,
            locationId: 'loc-a',
          },
        ],
        phones: [{ id: 'svc-1-phone-1', number: '+39 02 0000 0003', extension: null, type: null, description: null }],
      });
    });

    it.each([
      ['name', { name: ' ' }, 'name', 'is required'],
      ['service type', { serviceType: 'hospital' }, 'serviceType', 'must be one of'],
      ['target group', { targetGroups: ['adults', 'pensioners'] }, 'targetGroups', 'pensioners is not one of'],
      ['concern', { concernsTreated: ['tobacco'] }, 'concernsTreated', 'tobacco is not one of'],
      ['area', { areas: ['municipio_10'] }, 'areas', 'municipio_10 is not one of'],
      ['e-mail', { email: 'not-an-address' }, 'email', 'e-mail'],
      ['url', { url: 'ftp://example.org' }, 'url', 'http(s) URL'],
      ['age', { minimumAge: 12.5 }, 'minimumAge', 'whole number'],
      ['age range', { minimumAge: 30, maximumAge: 18 }, 'maximumAge', 'must not be below minimumAge'],
      ['phone number', { phones: [{ number: 'call us' }] }, 'phones[0].number', 'phone number'],
      ['phone type', { phones: [{ number: '02 1234', type: 'pigeon' }] }, 'phones[0].type', 'must be one of'],
      [
        'duplicate phone id',
        {
          phones: [
            { id: 'p', number: '02 1' },
            { id: 'p', number: '02 2' },
          ],
        },
        'phones[1].id',
        'duplicate id p',
      ],
      [
        'opening time',
        { schedules: [{ byday: ['MO'], opensAt: '24:00', closesAt: '10:00' }] },
        'schedules[0].opensAt',
        'HH:MM',
      ],
      [
        'time with an offset',
        { schedules: [{ byday: ['MO'], opensAt: '09:00+01:00', closesAt: '10:00' }] },
        'schedules[0].opensAt',
        'without offset',
      ],
      [
        'weekday',
        { schedules: [{ byday: ['MONDAY'], opensAt: '09:00', closesAt: '10:00' }] },
        'schedules[0].byday',
        'days among',
      ],
      [
        'no weekday',
        { schedules: [{ byday: [], opensAt: '09:00', closesAt: '10:00' }] },
        'schedules[0].byday',
        'at least one',
      ],
      [
        'schedule location',
        { locationIds: [], schedules: [{ byday: ['MO'], opensAt: '09:00', closesAt: '10:00', locationId: 'loc-x' }] },
        'schedules[0].locationId',
        'locationIds',
      ],
      [
        'handoff without a way to reach it',
        { handoffContact: { deskName: 'Accoglienza' } },
        'handoffContact',
        'a phone or an e-mail',
      ],
      [
        'handoff response time',
        { handoffContact: { deskName: 'Accoglienza', email: 'a@example.org', responseTimeHours: 0 } },
        'handoffContact.responseTimeHours',
        'from 1 to 720',
      ],
      ['handoff desk', { handoffContact: { email: 'a@example.org' } }, 'handoffContact.deskName', 'is required'],
      ['id', { locationIds: ['with space'] }, 'locationIds[0]', 'letters, digits'],
      ['list', { areas: 'municipio_1' }, 'areas', 'must be a list'],
    ])('refuses a bad %s, naming the field', (_what, override, field, reason) => {
      const result = refusal(() => normalizeService({ ...aService(), ...override }, 'svc-1', 'active'));
      expect(result.field).toBe(field);
      expect(result.reason).toContain(reason);
    });

    it('accepts a schedule that runs past midnight and one that never closes', () => {
      const data = normalizeService(
        aService({
          schedules: [
            { byday: ['FR', 'SA'], opensAt: '22:00', closesAt: '04:00' },
            { byday: ['SU'], opensAt: '00:00', closesAt: '00:00' },
          ],
        }),
        'svc-1',
        'active',
      );
      expect(data.schedules.map((schedule) => `${schedule.opensAt}-${schedule.closesAt}`)).toEqual([
        '22:00-04:00',
        '00:00-00:00',
      ]);
    });

    it('accepts a handoff contact reachable by e-mail only, and no handoff contact', () => {
      expect(
        normalizeService(
          aService({ handoffContact: { deskName: 'Desk', email: 'desk@example.org' } }),
          'svc-1',
          'active',
        ).handoffContact,
      ).toEqual({
        deskName: 'Desk',
        phone: null,
        email: 'desk@example.org',
        responseTimeHours: null,
      });
      expect(normalizeService(aService({ handoffContact: null }), 'svc-1', 'active').handoffContact).toBeNull();
    });

    it('refuses an id that could not be used in a URL or a file', () => {
      expect(refusal(() => normalizeService(aService(), 'svc/1', 'active')).field).toBe('id');
      expect(refusal(() => normalizeService(aService(), '', 'active')).field).toBe('id');
    });
  });

  describe('organisations, locations, taxonomy terms', () => {
    it('normalizes an organisation', () => {
      expect(normalizeOrganization(anOrganization({ website: '' }), 'org-1', 'retired')).toMatchObject({
        id: 'org-1',
        website: null,
        status: 'retired',
        phones: [{ id: 'org-1-phone-1', type: 'voice' }],
      });
    });

    it('normalizes a location, with the country in capitals and Italy by default', () => {
      const data = normalizeLocation(
        aLocation({ address: { address1: 'Via Roma 1', city: 'Milano', country: 'it' } }),
        'loc-1',
        'active',
      );
      expect(data).toMatchObject({
        locationType: 'physical',
        address: { country: 'IT', postalCode: null },
        municipio: 'municipio_1',
      });
      expect(
        normalizeLocation(aLocation({ address: { address1: 'Via Roma 1', city: 'Milano' } }), 'loc-1', 'active')
          .address!.country,
      ).toBe('IT');
    });

    it.each([
      ['municipio', { municipio: 'municipio_0' }, 'municipio'],
      ['latitude alone', { latitude: 45.4, longitude: null }, 'longitude'],
      ['latitude', { latitude: 95, longitude: 9 }, 'latitude'],
      ['location type', { locationType: 'boat' }, 'locationType'],
      ['address without a city', { address: { address1: 'Via Roma 1' } }, 'address.city'],
      ['country', { address: { address1: 'Via Roma 1', city: 'Milano', country: 'Italia' } }, 'address.country'],
    ])('refuses a location with a bad %s', (_what, override, field) => {
      expect(refusal(() => normalizeLocation({ ...aLocation(), ...override }, 'loc-1', 'active')).field).toBe(field);
    });

    it('refuses a taxonomy term that is its own parent', () => {
      expect(refusal(() => normalizeTaxonomyTerm({ id: 't1', name: 'Uno', parentId: 't1' })).field).toBe('parentId');
    });
  });

  describe('changes', () => {
    it('refuses fields a change may not carry, and says how to change the status', () => {
      expect(refusal(() => requireOnlyKeys({ status: 'retired' }, ['name']))).toEqual({
        field: 'status',
        reason: 'is changed by retiring or reactivating the entry',
      });
      expect(refusal(() => requireOnlyKeys({ id: 'x' }, ['name'])).field).toBe('id');
      expect(requireOnlyKeys({ name: 'x', description: undefined }, ['name'])).toEqual({
        name: 'x',
        description: undefined,
      });
    });
  });
});
