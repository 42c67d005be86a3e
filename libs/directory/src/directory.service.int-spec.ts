import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import {
  DirectoryEntryExistsError,
  DirectoryEntryNotFoundError,
  DirectoryValidationError,
  DirectoryVersionConflictError,
} from './directory.errors';
import { DirectoryService } from './directory.service';
import { aLocation, anOrganization, aService } from './testing/directory-fixtures';

// Whole-directory imports run a few hundred statements; PGlite takes seconds for them.
jest.setTimeout(120_000);

describe('DirectoryService: administrators keep the directory', () => {
  let database: TestDatabase;
  let directory: DirectoryService;

  beforeEach(async () => {
    database = await createTestDatabase();
    let next = 0;
    directory = DirectoryService.onDatabase(database, { newId: () => `generated-${++next}` });
  });

  afterEach(async () => {
    await database.close();
  });

  async function seed(): Promise<void> {
    await directory.createOrganization('admin-1', anOrganization());
    await directory.createLocation('admin-1', aLocation());
    await directory.createService('admin-1', aService());
  }

  it('creates an organisation, a location and a service, each at version 1 and audited', async () => {
    await seed();
    const service = await directory.getService('svc-serd-prova');
    expect(service).toMatchObject({
      id: 'svc-serd-prova',
      version: 1,
      status: 'active',
      serviceType: 'serd',
      concernsTreated: ['alcohol', 'cocaine'],
      handoffContact: {
        deskName: 'Accoglienza SerD di prova',
        phone: '+39 02 0000 0002',
        email: 'accoglienza@example.org',
        responseTimeHours: 48,
      },
      phones: [
        { id: 'svc-serd-prova-phone-1', number: '+39 02 0000 0003', extension: null, type: null, description: null },
      ],
      schedules: [
        {
          id: 'svc-serd-prova-schedule-1',
          byday: ['MO', 'TU', 'WE', 'TH', 'FR'],
          opensAt: '09:00',
          closesAt: '17:00',
          locationId: null,
        },
      ],
      organization: { id: 'org-asst-test', name: 'ASST di prova (esempio)', status: 'active' },
      locations: [
        { id: 'loc-via-prova', municipio: 'municipio_1', address: { address1: 'Via della Prova 1', city: 'Milano' } },
      ],
    });
    const changes = await directory.listChanges();
    expect(
      changes.map((change) => [
        change.entityType,
        change.entityId,
        change.operation,
        change.actorId,
        change.origin,
        change.entityVersion,
      ]),
    ).toEqual([
      ['organization', 'org-asst-test', 'create', 'admin-1', 'admin', 1],
      ['location', 'loc-via-prova', 'create', 'admin-1', 'admin', 1],
      ['service', 'svc-serd-prova', 'create', 'admin-1', 'admin', 1],
    ]);
    expect(changes[2]!.before).toBeNull();
    expect(changes[2]!.after).toMatchObject({ name: 'SerD di prova (esempio)', serviceType: 'serd' });
    expect(changes[2]!.changedFields).toEqual(
      expect.arrayContaining(['name', 'serviceType', 'handoffContact', 'schedules']),
    );
    expect(changes[2]!.changedFields).not.toContain('alternateName');
    expect(changes[2]!.changedAt).toBeInstanceOf(Date);
  });

  it('keeps the audit append-only: its rows cannot be changed or deleted', async () => {
    await seed();
    await expect(sql`UPDATE directory_changes SET actor_id = 'someone-else'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM directory_changes`.execute(database.db)).rejects.toThrow(/append-only/);
    expect(await directory.listChanges()).toHaveLength(3);
  });

  it('gives an id to an entry created without one', async () => {
    const organization = await directory.createOrganization('admin-1', anOrganization({ id: undefined }));
    expect(organization.id).toBe('generated-1');
    expect(organization.phones[0]!.id).toBe('generated-1-phone-1');
  });

  it('changes only the fields given, bumps the version and audits the changed field names with before and after', async () => {
    await seed();
    const changed = await directory.changeService('admin-2', 'svc-serd-prova', 1, {
      description: 'Nuova descrizione',
      handoffContact: {
        deskName: 'Accoglienza SerD di prova',
        email: 'accoglienza@example.org',
        responseTimeHours: 72,
      },
    });
    expect(changed.version).toBe(2);
    expect(changed.description).toBe('Nuova descrizione');
    expect(changed.name).toBe('SerD di prova (esempio)');
    expect(changed.handoffContact).toEqual({
      deskName: 'Accoglienza SerD di prova',
      phone: null,
      email: 'accoglienza@example.org',
      responseTimeHours: 72,
    });
    const [change] = await directory.listChanges({ entityType: 'service', entityId: 'svc-serd-prova', afterId: 3 });
    expect(change).toMatchObject({
      actorId: 'admin-2',
      operation: 'change',
      entityVersion: 2,
      changedFields: ['description', 'handoffContact'],
      before: { description: 'Servizio per le dipendenze: accoglienza, valutazione e cura' },
      after: { description: 'Nuova descrizione' },
    });
  });

  it('clears an optional field given as null', async () => {
    await seed();
    const changed = await directory.changeOrganization('admin-1', 'org-asst-test', 1, { website: null });
    expect(changed.website).toBeNull();
  });

  it('keeps the version and writes no audit row when a change changes nothing', async () => {
    await seed();
    const unchanged = await directory.changeService('admin-1', 'svc-serd-prova', 1, {
      name: '  SerD di prova (esempio) ',
    });
    expect(unchanged.version).toBe(1);
    expect(await directory.listChanges()).toHaveLength(3);
  });

  it('refuses a change made on a stale version, naming the expected and actual versions', async () => {
    await seed();
    await directory.changeService('admin-1', 'svc-serd-prova', 1, { description: 'prima modifica' });
    const stale = directory.changeService('admin-2', 'svc-serd-prova', 1, { description: 'seconda modifica' });
    await expect(stale).rejects.toBeInstanceOf(DirectoryVersionConflictError);
    await expect(stale).rejects.toMatchObject({
      code: 'DIRECTORY_VERSION_CONFLICT',
      expectedVersion: 1,
      actualVersion: 2,
      entityId: 'svc-serd-prova',
    });
    expect((await directory.getService('svc-serd-prova')).description).toBe('prima modifica');
  });

  it('lets only one of two concurrent changes on the same version through', async () => {
    await seed();
    const results = await Promise.allSettled([
      directory.changeOrganization('admin-1', 'org-asst-test', 1, { description: 'uno' }),
      directory.changeOrganization('admin-2', 'org-asst-test', 1, { description: 'due' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(DirectoryVersionConflictError);
    expect((await directory.getOrganization('org-asst-test')).version).toBe(2);
  });

  it('retires and reactivates a service, with its own operations in the audit', async () => {
    await seed();
    const retired = await directory.retireService('admin-1', 'svc-serd-prova', 1);
    expect(retired).toMatchObject({ status: 'retired', version: 2 });
    expect(await directory.isActiveService('svc-serd-prova')).toBe(false);
    const reactivated = await directory.reactivateService('admin-1', 'svc-serd-prova', 2);
    expect(reactivated).toMatchObject({ status: 'active', version: 3 });
    expect(await directory.isActiveService('svc-serd-prova')).toBe(true);
    const changes = await directory.listChanges({ entityId: 'svc-serd-prova' });
    expect(changes.map((change) => [change.operation, change.changedFields])).toEqual([
      ['create', expect.any(Array)],
      ['retire', ['status']],
      ['reactivate', ['status']],
    ]);
  });

  it('retires and reactivates locations', async () => {
    await seed();
    expect(await directory.retireLocation('admin-1', 'loc-via-prova', 1)).toMatchObject({
      status: 'retired',
      version: 2,
    });
    expect(await directory.reactivateLocation('admin-1', 'loc-via-prova', 2)).toMatchObject({
      status: 'active',
      version: 3,
    });
    expect(await directory.changeLocation('admin-1', 'loc-via-prova', 3, { municipio: 'municipio_2' })).toMatchObject({
      municipio: 'municipio_2',
      version: 4,
    });
  });

  it('refuses to retire an organisation that still has active services or locations, and allows it once they are retired', async () => {
    await seed();
    await expect(directory.retireOrganization('admin-1', 'org-asst-test', 1)).rejects.toMatchObject({
      code: 'DIRECTORY_VALIDATION',
      field: 'status',
    });
    expect((await directory.getOrganization('org-asst-test')).status).toBe('active');
    await directory.retireService('admin-1', 'svc-serd-prova', 1);
    await directory.retireLocation('admin-1', 'loc-via-prova', 1);
    const retired = await directory.retireOrganization('admin-1', 'org-asst-test', 1);
    expect(retired.status).toBe('retired');
    // Nothing may become active under a retired organisation.
    await expect(directory.reactivateService('admin-1', 'svc-serd-prova', 2)).rejects.toBeInstanceOf(
      DirectoryValidationError,
    );
    await expect(directory.createService('admin-1', aService({ id: 'svc-other' }))).rejects.toBeInstanceOf(
      DirectoryValidationError,
    );
    await directory.reactivateOrganization('admin-1', 'org-asst-test', 2);
    expect(await directory.reactivateService('admin-1', 'svc-serd-prova', 2)).toMatchObject({ status: 'active' });
  });

  it('answers unknown ids with DirectoryEntryNotFoundError', async () => {
    await expect(directory.getService('nope')).rejects.toBeInstanceOf(DirectoryEntryNotFoundError);
    await expect(directory.getOrganization('nope')).rejects.toMatchObject({
      code: 'DIRECTORY_ENTRY_NOT_FOUND',
      entityType: 'organization',
    });
    await expect(directory.changeLocation('admin-1', 'nope', 1, { name: 'x' })).rejects.toBeInstanceOf(
      DirectoryEntryNotFoundError,
    );
    await expect(directory.retireService('admin-1', 'nope', 1)).rejects.toBeInstanceOf(DirectoryEntryNotFoundError);
    expect(await directory.findService('nope')).toBeUndefined();
    expect(await directory.isActiveService('nope')).toBe(false);
  });

  it('refuses a second entry with the same id', async () => {
    await seed();
    await expect(directory.createOrganization('admin-1', anOrganization())).rejects.toBeInstanceOf(
      DirectoryEntryExistsError,
    );
  });

  it('refuses references to entries that do not exist, and writes nothing', async () => {
    await seed();
    await expect(
      directory.createService('admin-1', aService({ id: 'svc-2', organizationId: 'org-missing' })),
    ).rejects.toMatchObject({
      field: 'organizationId',
    });
    await expect(
      directory.createService('admin-1', aService({ id: 'svc-2', locationIds: ['loc-missing'] })),
    ).rejects.toMatchObject({
      field: 'locationIds',
    });
    await expect(
      directory.createService('admin-1', aService({ id: 'svc-2', taxonomyTermIds: ['term-missing'] })),
    ).rejects.toMatchObject({
      field: 'taxonomyTermIds',
    });
    await expect(
      directory.createLocation('admin-1', aLocation({ id: 'loc-2', organizationId: 'org-missing' })),
    ).rejects.toMatchObject({
      field: 'organizationId',
    });
    expect(await directory.findService('svc-2')).toBeUndefined();
    expect(await directory.listChanges()).toHaveLength(3);
  });

  it('refuses a phone id that belongs to another entry', async () => {
    await seed();
    await expect(
      directory.createService(
        'admin-1',
        aService({ id: 'svc-2', phones: [{ id: 'svc-serd-prova-phone-1', number: '02 1234' }] }),
      ),
    ).rejects.toMatchObject({ field: 'phones' });
  });

  it('refuses invalid input with the field and the reason', async () => {
    await seed();
    await expect(
      directory.changeService('admin-1', 'svc-serd-prova', 1, { serviceType: 'hospital' as never }),
    ).rejects.toMatchObject({
      code: 'DIRECTORY_VALIDATION',
      field: 'serviceType',
    });
    await expect(
      directory.changeService('admin-1', 'svc-serd-prova', 1, { status: 'retired' } as never),
    ).rejects.toMatchObject({
      field: 'status',
    });
    await expect(
      directory.changeService('admin-1', 'svc-serd-prova', 1, { organizationId: 'x' } as never),
    ).rejects.toMatchObject({
      field: 'organizationId',
    });
    await expect(directory.createOrganization('', anOrganization({ id: 'org-x' }))).rejects.toMatchObject({
      field: 'actorId',
    });
  });

  it('keeps taxonomy terms, linked to services', async () => {
    await seed();
    await directory.saveTaxonomyTerm('admin-1', {
      id: 'term-outpatient',
      name: 'Trattamento ambulatoriale',
      taxonomy: 'prova',
    });
    const service = await directory.changeService('admin-1', 'svc-serd-prova', 1, {
      taxonomyTermIds: ['term-outpatient'],
    });
    expect(service.taxonomyTermIds).toEqual(['term-outpatient']);
    expect((await directory.getService('svc-serd-prova')).taxonomyTerms).toEqual([
      {
        id: 'term-outpatient',
        code: null,
        name: 'Trattamento ambulatoriale',
        description: null,
        parentId: null,
        taxonomy: 'prova',
        version: 1,
      },
    ]);
    const renamed = await directory.saveTaxonomyTerm('admin-1', {
      id: 'term-outpatient',
      name: 'Cura ambulatoriale',
      taxonomy: 'prova',
    });
    expect(renamed).toMatchObject({ name: 'Cura ambulatoriale', version: 2 });
  });
});
