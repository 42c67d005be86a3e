import { createTestDatabase, TestDatabase } from '@helpline/database';
import { DirectoryValidationError } from './directory.errors';
import type { ServiceSearchQuery } from './directory.model';
import { DirectoryService } from './directory.service';
import type { HsdsDirectoryDocument, HsdsService } from './hsds/hsds.types';
import { isOpenAt } from './opening-hours/opening-hours';
import { sampleDirectoryDocument } from './sample/sample-directory';

// Whole-directory imports run a few hundred statements; PGlite takes seconds for them.
jest.setTimeout(120_000);

const sampleServices: HsdsService[] = (sampleDirectoryDocument() as HsdsDirectoryDocument).organizations.flatMap(
  (organization) => organization.services,
);

/** The search order: name without regard to case, then id. */
function byName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  const left = a.name.toLowerCase();
  const right = b.name.toLowerCase();
  if (left !== right) return left < right ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function expectedIds(filter: (service: HsdsService) => boolean): string[] {
  return sampleServices
    .filter(filter)
    .sort(byName)
    .map((service) => service.id);
}

describe('DirectoryService: operators search the directory', () => {
  let database: TestDatabase;
  let directory: DirectoryService;

  beforeAll(async () => {
    database = await createTestDatabase();
    directory = DirectoryService.onDatabase(database);
    await directory.importSample('admin-1');
  });

  afterAll(async () => {
    await database.close();
  });

  async function ids(query: ServiceSearchQuery): Promise<string[]> {
    const page = await directory.searchServices({ limit: 100, ...query });
    expect(page.nextCursor).toBeNull();
    return page.items.map((item) => item.id);
  }

  it('returns every active service, ordered by name, with what a referral needs', async () => {
    const page = await directory.searchServices({ limit: 100 });
    expect(page.items.map((item) => item.id)).toEqual(expectedIds(() => true));
    const serd = page.items.find((item) => item.id === 'esempio-serd-centro')!;
    expect(serd.organization).toMatchObject({ id: 'esempio-asst-centro', name: 'ASST Milano Centro (esempio)' });
    expect(serd.locations).toEqual([
      expect.objectContaining({ id: 'esempio-loc-centro-crocetta', municipio: 'municipio_1' }),
    ]);
    expect(serd.phones.length).toBeGreaterThan(0);
    expect(serd.schedules.length).toBeGreaterThan(0);
    expect(serd.handoffContact).toMatchObject({ responseTimeHours: 48 });
    expect(serd.taxonomyTerms.map((term) => term.id)).toEqual(['esempio-term-ambulatoriale', 'esempio-term-familiari']);
    expect(serd.openNow).toBeUndefined();
  });

  it('filters by service type', async () => {
    expect(await ids({ serviceTypes: ['smi'] })).toEqual(expectedIds((service) => service.x_service_type === 'smi'));
    expect(await ids({ serviceTypes: ['smi'] })).toHaveLength(3);
    expect(await ids({ serviceTypes: ['serd', 'smi'] })).toEqual(
      expectedIds((service) => ['serd', 'smi'].includes(service.x_service_type)),
    );
  });

  it('filters by area (municipio)', async () => {
    const expected = expectedIds((service) => service.service_areas.some((area) => area.x_municipio === 'municipio_9'));
    expect(expected).toContain('esempio-serd-nord');
    expect(expected).not.toContain('esempio-serd-sud');
    expect(await ids({ areas: ['municipio_9'] })).toEqual(expected);
  });

  it('filters by target group', async () => {
    expect(await ids({ targetGroups: ['lgbtq'] })).toEqual(
      expectedIds((service) => service.x_target_groups.includes('lgbtq')),
    );
    expect(await ids({ targetGroups: ['lgbtq'] })).toEqual(['esempio-mts-centro', 'esempio-unita-mobile']);
  });

  it('filters by substance or behaviour treated', async () => {
    const gambling = await ids({ concernsTreated: ['gambling'] });
    expect(gambling).toEqual(expectedIds((service) => service.x_concerns_treated.includes('gambling')));
    expect(gambling).toContain('esempio-serd-gioco');
    expect(await ids({ concernsTreated: ['gaming_internet', 'alcohol'] })).toEqual(
      expectedIds((service) =>
        service.x_concerns_treated.some((concern) => ['gaming_internet', 'alcohol'].includes(concern)),
      ),
    );
  });

  it('combines filters with AND', async () => {
    expect(await ids({ serviceTypes: ['serd'], concernsTreated: ['gambling'], areas: ['municipio_5'] })).toEqual([
      'esempio-serd-gioco',
      'esempio-serd-sud',
    ]);
  });

  it('finds free text in names and descriptions, whatever the case, every word', async () => {
    expect(await ids({ text: 'ALCOLOGIA' })).toEqual(['esempio-serd-alcologia']);
    expect(await ids({ text: 'naloxone' })).toEqual(['esempio-dropin-centrale']);
    expect(await ids({ text: 'giovani cannabis' })).toEqual(['esempio-smi-spazio-giovani']);
    expect(await ids({ text: '100%_' })).toEqual([]);
  });

  it('finds the services open at an instant on Milan time, night services across midnight included', async () => {
    // Saturday 28 March 2026, 23:30 in Milan (winter time).
    const saturdayNight = await ids({ openNow: true, at: '2026-03-28T23:30:00+01:00' });
    expect(saturdayNight).toEqual(
      [
        'esempio-accoglienza-notturna',
        'esempio-comunita-cascina',
        'esempio-dropin-centrale',
        'esempio-numero-emergenza',
        'esempio-polizia-centrale-operativa',
        'esempio-ps-psichiatrico',
        'esempio-unita-mobile',
      ].sort((a, b) =>
        byName(
          sampleServices.find((s) => s.id === a)!,
          sampleServices.find((s) => s.id === b)!,
        ),
      ),
    );
    // 01:30 UTC is 03:30 in Milan: the clocks went forward at 02:00. The drop-in closed at 02:00, the street unit
    // (22:00-04:00) is still out.
    const afterTheChange = await ids({ openNow: true, at: '2026-03-29T01:30:00Z' });
    expect(afterTheChange).toContain('esempio-unita-mobile');
    expect(afterTheChange).not.toContain('esempio-dropin-centrale');
    // A Monday morning: the gambling clinic opens on Tuesdays, Thursdays and Saturdays only.
    expect(await ids({ openNow: true, at: '2026-11-23T10:00:00+01:00', serviceTypes: ['serd'] })).toEqual([
      'esempio-serd-centro', // SerD Milano Centro
      'esempio-serd-nord',
      'esempio-serd-sud',
      'esempio-serd-alcologia', // Servizio di Alcologia
    ]);
  });

  it('agrees with the opening-hours rule at every instant tried, around both daylight-saving changes', async () => {
    const starts = ['2026-03-27T00:00:00Z', '2026-10-23T00:00:00Z'];
    for (const start of starts) {
      for (let step = 0; step < 4 * 24; step += 1.5) {
        const at = new Date(Date.parse(start) + step * 3_600_000).toISOString();
        const expected = expectedIds((service) =>
          isOpenAt(
            service.schedules.map((schedule) => ({
              byday: schedule.byday.split(',') as never,
              opensAt: schedule.opens_at,
              closesAt: schedule.closes_at,
            })),
            at,
          ),
        );
        expect({ at, open: await ids({ openNow: true, at }) }).toEqual({ at, open: expected });
      }
    }
  });

  it('tells whether each result is open when given an instant', async () => {
    const page = await directory.searchServices({
      at: '2026-11-24T21:00:00+01:00',
      serviceTypes: ['low_threshold_harm_reduction', 'serd'],
      limit: 100,
    });
    const open = Object.fromEntries(page.items.map((item) => [item.id, item.openNow]));
    expect(open['esempio-dropin-centrale']).toBe(true);
    expect(open['esempio-serd-centro']).toBe(false);
    expect((await directory.getService('esempio-dropin-centrale', { at: '2026-11-24T21:00:00+01:00' })).openNow).toBe(
      true,
    );
  });

  it('pages through the results with a cursor, in order, without gaps or repeats', async () => {
    const all = expectedIds(() => true);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await directory.searchServices({ limit: 4, after });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((item) => item.id));
      after = page.nextCursor ?? undefined;
      pages++;
    } while (after);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));
  });

  it('refuses bad queries with the field at fault', async () => {
    await expect(directory.searchServices({ openNow: true })).rejects.toMatchObject({ field: 'at' });
    await expect(directory.searchServices({ at: '2026-03-29 09:00' })).rejects.toMatchObject({ field: 'at' });
    await expect(directory.searchServices({ after: 'not-a-cursor' })).rejects.toMatchObject({ field: 'after' });
    await expect(directory.searchServices({ serviceTypes: ['hospital' as never] })).rejects.toMatchObject({
      field: 'serviceTypes',
    });
    await expect(directory.searchServices({ areas: ['municipio_10' as never] })).rejects.toBeInstanceOf(
      DirectoryValidationError,
    );
    await expect(directory.searchServices({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
  });
});

describe('DirectoryService: search over a changing directory', () => {
  let database: TestDatabase;
  let directory: DirectoryService;

  beforeEach(async () => {
    database = await createTestDatabase();
    directory = DirectoryService.onDatabase(database);
    await directory.importSample('admin-1');
  });

  afterEach(async () => {
    await database.close();
  });

  it('leaves retired services out unless asked for them', async () => {
    await directory.retireService('admin-1', 'esempio-smi-lambrate', 1);
    const active = await directory.searchServices({ serviceTypes: ['smi'] });
    expect(active.items.map((item) => item.id)).toEqual(['esempio-smi-porta-romana', 'esempio-smi-spazio-giovani']);
    const all = await directory.searchServices({ serviceTypes: ['smi'], includeRetired: true });
    expect(all.items.map((item) => [item.id, item.status])).toEqual([
      ['esempio-smi-lambrate', 'retired'],
      ['esempio-smi-porta-romana', 'active'],
      ['esempio-smi-spazio-giovani', 'active'],
    ]);
  });

  it('orders names without regard to case, and a cursor is not disturbed by entries added before it', async () => {
    const first = await directory.searchServices({ limit: 5 });
    await directory.createService('admin-1', {
      id: 'esempio-aaa',
      organizationId: 'esempio-coop-ponte',
      name: 'aaa servizio aggiunto (esempio)',
      serviceType: 'smi',
    });
    await directory.createService('admin-1', {
      id: 'esempio-zzz',
      organizationId: 'esempio-coop-ponte',
      name: 'ZZZ servizio aggiunto (esempio)',
      serviceType: 'smi',
    });
    const rest: string[] = [];
    let after = first.nextCursor ?? undefined;
    while (after) {
      const page = await directory.searchServices({ limit: 5, after });
      rest.push(...page.items.map((item) => item.id));
      after = page.nextCursor ?? undefined;
    }
    const before = first.items.map((item) => item.id);
    expect(rest).not.toContain('esempio-aaa');
    expect(rest.at(-1)).toBe('esempio-zzz');
    expect([...before, ...rest.filter((id) => id !== 'esempio-zzz')]).toEqual(expectedIds(() => true));
    expect((await directory.searchServices({ limit: 1 })).items[0]!.id).toBe('esempio-aaa');
  });
});
