import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { DirectoryValidationError } from './directory.errors';
import { DirectoryService } from './directory.service';
import type { HsdsDirectoryDocument } from './hsds/hsds.types';
import { sampleDirectoryDocument } from './sample/sample-directory';

const TABLES = [
  'directory_organizations',
  'directory_locations',
  'directory_services',
  'directory_taxonomy_terms',
  'directory_phones',
  'directory_schedules',
  'directory_service_locations',
  'directory_service_taxonomy_terms',
  'directory_changes',
];

function sample(): HsdsDirectoryDocument {
  return sampleDirectoryDocument() as HsdsDirectoryDocument;
}

/** The data of a document, without its header (format, description, sample flag). */
function dataOf(document: HsdsDirectoryDocument) {
  return { taxonomy_terms: document.taxonomy_terms, organizations: document.organizations };
}

// Whole-directory imports run a few hundred statements; PGlite takes seconds for them.
jest.setTimeout(120_000);

describe('DirectoryService: import and export (HSDS JSON and CSV)', () => {
  const opened: TestDatabase[] = [];
  const folders: string[] = [];

  async function freshDirectory(): Promise<{ database: TestDatabase; directory: DirectoryService }> {
    const database = await createTestDatabase();
    opened.push(database);
    return { database, directory: DirectoryService.onDatabase(database) };
  }

  function tempFolder(): string {
    const folder = mkdtempSync(join(tmpdir(), 'helpline-directory-csv-'));
    folders.push(folder);
    return folder;
  }

  async function rowCounts(database: TestDatabase): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM ${sql.table(table)}`.execute(
        database.db,
      );
      counts[table] = rows[0]!.count;
    }
    return counts;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('gives back the imported JSON document on export', async () => {
    const { directory } = await freshDirectory();
    const summary = await directory.importJson('importer-1', sample());
    expect(summary.created).toEqual({ organization: 9, location: 13, service: 21, taxonomy_term: 9 });
    const exported = await directory.exportJson();
    expect(dataOf(exported)).toEqual(dataOf(sample()));
    expect(exported).toMatchObject({
      x_format: 'helpline-directory/hsds-3',
      hsds_version: '3.0',
      x_time_zone: 'Europe/Rome',
    });
    expect(exported.sample).toBeUndefined();
  });

  it('records each imported entry in the audit with the importing actor', async () => {
    const { directory } = await freshDirectory();
    await directory.importJson('importer-1', sample());
    const changes = await directory.listChanges({ limit: 1000 });
    expect(changes).toHaveLength(9 + 13 + 21 + 9);
    expect(new Set(changes.map((change) => `${change.actorId}/${change.origin}/${change.operation}`))).toEqual(
      new Set(['importer-1/import/create']),
    );
  });

  it('imports changes as new versions, retirements as retire operations, and leaves equal entries alone', async () => {
    const { directory } = await freshDirectory();
    await directory.importJson('importer-1', sample());
    const document = sample();
    const serdNord = document.organizations
      .flatMap((organization) => organization.services)
      .find((service) => service.id === 'esempio-serd-nord')!;
    serdNord.name = 'SerD Milano Nord – Bovisa (esempio)';
    serdNord.x_handoff_contact!.response_time_hours = 48;
    const gioco = document.organizations
      .flatMap((organization) => organization.services)
      .find((service) => service.id === 'esempio-serd-gioco')!;
    gioco.status = 'inactive';
    const summary = await directory.importJson('importer-2', document);
    expect(summary.changed).toEqual({ organization: 0, location: 0, service: 2, taxonomy_term: 0 });
    expect(summary.unchanged).toEqual({ organization: 9, location: 13, service: 19, taxonomy_term: 9 });
    expect(await directory.getService('esempio-serd-nord')).toMatchObject({
      version: 2,
      name: 'SerD Milano Nord – Bovisa (esempio)',
    });
    expect(await directory.isActiveService('esempio-serd-gioco')).toBe(false);
    const changes = await directory.listChanges({ actorId: 'importer-2' });
    expect(changes.map((change) => [change.entityId, change.operation, change.changedFields])).toEqual([
      ['esempio-serd-gioco', 'retire', ['status']],
      ['esempio-serd-nord', 'change', ['handoffContact', 'name']],
    ]);
    expect(dataOf(await directory.exportJson())).toEqual(dataOf(document));
  });

  it('imports all or nothing: one invalid entry names itself and nothing is written', async () => {
    const { database, directory } = await freshDirectory();
    const document = sample();
    const last = document.organizations.at(-1)!;
    last.services[0]!.schedules[0]!.opens_at = '25:00';
    const failure = directory.importJson('importer-1', document);
    await expect(failure).rejects.toBeInstanceOf(DirectoryValidationError);
    await expect(failure).rejects.toMatchObject({ field: `service[${last.services[0]!.id}].schedules[0].opensAt` });
    expect(Object.values(await rowCounts(database)).every((count) => count === 0)).toBe(true);
  });

  it('refuses documents that break the schedule rules it cannot keep', async () => {
    const { directory } = await freshDirectory();
    const withOffset = sample();
    (withOffset.organizations[0]!.services[0]!.schedules[0] as unknown as Record<string, unknown>).timezone = 1;
    await expect(directory.importJson('importer-1', withOffset)).rejects.toMatchObject({
      field: expect.stringContaining('.timezone'),
    });
    const monthly = sample();
    (monthly.organizations[0]!.services[0]!.schedules[0] as unknown as Record<string, unknown>).freq = 'MONTHLY';
    await expect(directory.importJson('importer-1', monthly)).rejects.toMatchObject({
      field: expect.stringContaining('.freq'),
    });
  });

  it('loads the sample directory, and loading it again changes nothing and adds no rows', async () => {
    const { database, directory } = await freshDirectory();
    const first = await directory.importSample('admin-1');
    expect(first.created.service).toBe(21);
    const counts = await rowCounts(database);
    expect(counts.directory_services).toBe(21);
    const second = await directory.importSample('admin-1');
    expect(second.created).toEqual({ organization: 0, location: 0, service: 0, taxonomy_term: 0 });
    expect(second.changed).toEqual({ organization: 0, location: 0, service: 0, taxonomy_term: 0 });
    expect(second.unchanged).toEqual({ organization: 9, location: 13, service: 21, taxonomy_term: 9 });
    expect(await rowCounts(database)).toEqual(counts);
    const changes = await directory.listChanges({ limit: 1000 });
    expect(changes.every((change) => change.origin === 'sample' && change.operation === 'create')).toBe(true);
    expect((await directory.getService('esempio-serd-centro')).version).toBe(1);
  });

  it('gives back the same directory through CSV files exported, then imported into a fresh database', async () => {
    const { directory: source } = await freshDirectory();
    await source.importSample('admin-1');
    // Values CSV must quote: commas, quotes, line breaks; and a retired service and location.
    await source.changeOrganization('admin-1', 'esempio-coop-ponte', 1, {
      description: 'Cooperativa "Il Ponte", Milano:\r\nservizi, comunità e SMI\nseconda riga',
    });
    await source.changeService('admin-1', 'esempio-unita-mobile', 1, {
      description: 'Sabato, "notte bianca"; naloxone\ne test',
    });
    await source.retireService('admin-1', 'esempio-smi-lambrate', 1);
    const expected = await source.exportJson();

    const folder = tempFolder();
    const written = await source.exportCsv(folder);
    expect(readdirSync(folder).sort()).toEqual([
      'addresses.csv',
      'attributes.csv',
      'locations.csv',
      'organizations.csv',
      'phones.csv',
      'schedules.csv',
      'service_areas.csv',
      'service_at_locations.csv',
      'services.csv',
      'taxonomy_terms.csv',
    ]);
    expect(written).toHaveLength(10);
    expect(readFileSync(join(folder, 'services.csv'), 'utf8').split('\r\n')[0]).toMatch(/^id,organization_id,name,/);

    const { directory: target } = await freshDirectory();
    const summary = await target.importCsv('importer-2', folder);
    expect(summary.created).toEqual({ organization: 9, location: 13, service: 21, taxonomy_term: 9 });
    const reexported = await target.exportJson();
    expect(dataOf(reexported)).toEqual(dataOf(expected));
    expect((await target.getOrganization('esempio-coop-ponte')).description).toBe(
      'Cooperativa "Il Ponte", Milano:\r\nservizi, comunità e SMI\nseconda riga',
    );
    expect(await target.isActiveService('esempio-smi-lambrate')).toBe(false);
    expect(await target.exportCsvFiles()).toEqual(await source.exportCsvFiles());
  });

  it('names the file and row of a CSV row that points at nothing', async () => {
    const { directory: source } = await freshDirectory();
    await source.importSample('admin-1');
    const folder = tempFolder();
    await source.exportCsv(folder);
    const phones = readFileSync(join(folder, 'phones.csv'), 'utf8');
    writeFileSync(join(folder, 'phones.csv'), phones + 'stray-phone,,,no-such-service,02 1234,,,\r\n');
    const { directory: target } = await freshDirectory();
    await expect(target.importCsv('importer-2', folder)).rejects.toMatchObject({
      code: 'DIRECTORY_VALIDATION',
      field: expect.stringMatching(/^phones\.csv row \d+\.service_id$/),
    });
  });
});
