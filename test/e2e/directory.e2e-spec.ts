import { sampleDirectoryDocument } from '@helpline/directory';
import { TestApp } from '../support/test-app';

const admin = { sub: 'admin-anna', role: 'admin' as const };
const operator = { sub: 'operator-7', role: 'operator' as const, lines: ['sostienimi'] };

describe('the resource directory over HTTP', () => {
  let app: TestApp;
  let asAdmin: string;
  let asOperator: string;

  beforeAll(async () => {
    app = await TestApp.start();
    asAdmin = await app.bearer(admin);
    asOperator = await app.bearer(operator);
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
  }, 30_000);

  const send = (method: 'post' | 'patch' | 'put', path: string, body: unknown, auth = asAdmin) => {
    const http = app.http();
    return http[method](path)
      .set('Authorization', auth)
      .send(body as object);
  };
  const get = (path: string, query: Record<string, string | string[]> = {}, auth = asAdmin) =>
    app.http().get(path).query(query).set('Authorization', auth);

  it('imports an HSDS document and exports the same data, as JSON and as CSV, into a fresh directory too', async () => {
    const imported = await send('post', '/directory/import', sampleDirectoryDocument()).expect(200);
    expect(imported.body.created).toEqual({
      organization: 9,
      location: 13,
      service: 21,
      taxonomy_term: expect.any(Number),
    });

    const json = (await get('/directory/export').expect(200)).body;
    const csv = (await get('/directory/export', { format: 'csv' }).expect(200)).body as Record<string, string>;
    expect(Object.keys(csv)).toEqual(
      expect.arrayContaining(['organizations.csv', 'services.csv', 'schedules.csv', 'phones.csv']),
    );
    const services = await get('/directory/export/services.csv')
      .expect(200)
      .expect('content-type', /text\/csv/);
    expect(services.text).toBe(csv['services.csv']);
    expect(services.headers['content-disposition']).toBe('attachment; filename="services.csv"');
    await get('/directory/export/passwords.csv')
      .expect(404)
      .expect('content-type', /json/)
      .expect(({ body }) => expect(body.code).toBe('NOT_FOUND'));

    // Importing what was exported changes nothing, in either format.
    const again = await send('post', '/directory/import', json).expect(200);
    expect(Object.values(again.body.created).concat(Object.values(again.body.changed))).toEqual(Array(8).fill(0));
    const againCsv = await send('post', '/directory/import?format=csv', csv).expect(200);
    expect(Object.values(againCsv.body.changed)).toEqual([0, 0, 0, 0]);

    // A fresh directory fed the export gives back the same export.
    const fresh = await TestApp.start();
    try {
      const freshAdmin = await fresh.bearer(admin);
      await fresh.http().post('/directory/import?format=csv').set('Authorization', freshAdmin).send(csv).expect(200);
      expect((await fresh.http().get('/directory/export').set('Authorization', freshAdmin).expect(200)).body).toEqual(
        json,
      );
      expect(
        (await fresh.http().get('/directory/export?format=csv').set('Authorization', freshAdmin).expect(200)).body,
      ).toEqual(csv);
    } finally {
      await fresh.stop();
    }

    // Imports are all or nothing: one bad entry, nothing written.
    const broken = structuredClone(json);
    broken.organizations[0].name = 'Renamed by a broken import';
    broken.organizations[1].services[0].x_service_type = 'not-a-type';
    const refused = await send('post', '/directory/import', broken).expect(400);
    expect(refused.body).toMatchObject({
      code: 'DIRECTORY_VALIDATION',
      errors: [{ field: expect.stringContaining('service[') }],
    });
    expect((await get('/directory/export').expect(200)).body).toEqual(json);

    await send('post', '/directory/import?format=csv', { 'secrets.csv': 'a,b' }).expect(400);
    await send('post', '/directory/import?format=xml', {}).expect(400);
  }, 60_000);

  it('takes a directory bigger than the general JSON limit as application/vnd.hsds+json, from administrators only', async () => {
    // A whole city's directory is bigger than the API's general JSON limit: it goes as application/vnd.hsds+json.
    const json = (await get('/directory/export').expect(200)).body;
    const large = structuredClone(json);
    for (const organization of large.organizations)
      for (const entry of organization.services)
        entry.description = `${entry.description ?? ''} ${'dettagli '.repeat(400)}`.trim();
    const payload = JSON.stringify(large);
    expect(payload.length).toBeGreaterThan(120_000);
    await app
      .http()
      .post('/directory/import')
      .set('Authorization', asAdmin)
      .set('Content-Type', 'application/json')
      .send(payload)
      .expect(413);
    await app
      .http()
      .post('/directory/import')
      .set('Authorization', asOperator)
      .set('Content-Type', 'application/vnd.hsds+json')
      .send(payload)
      .expect(403);
    const bulk = await app
      .http()
      .post('/directory/import')
      .set('Authorization', asAdmin)
      .set('Content-Type', 'application/vnd.hsds+json')
      .send(payload)
      .expect(200);
    expect(bulk.body.changed).toMatchObject({ service: 21, organization: 0 });
    await app
      .http()
      .post('/directory/import')
      .set('Authorization', asAdmin)
      .set('Content-Type', 'application/vnd.hsds+json')
      .send('{"broken":')
      .expect(400);
  }, 30_000);

  it('lets an administrator create, change (with the version read), retire and reactivate entries, and audits who and when', async () => {
    const organization = await send('post', '/directory/organizations', {
      id: 'test-asst',
      name: 'ASST di prova (esempio)',
      phones: [{ number: '+39 02 0000 0001', type: 'voice' }],
    }).expect(201);
    expect(organization.headers.etag).toBe('"1"');
    expect(organization.body).toMatchObject({
      id: 'test-asst',
      status: 'active',
      version: 1,
      phones: [{ id: 'test-asst-phone-1' }],
    });
    await send('post', '/directory/organizations', { id: 'test-asst', name: 'Again' })
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('DIRECTORY_ENTRY_EXISTS'));
    await send('post', '/directory/locations', {
      id: 'test-sede',
      organizationId: 'test-asst',
      name: 'Sede di prova',
      municipio: 'municipio_4',
      address: { address1: 'Via della Prova 1', city: 'Milano' },
    }).expect(201);
    const service = {
      id: 'test-serd',
      organizationId: 'test-asst',
      name: 'SerD di prova (esempio)',
      description: 'Dipendenze da sostanze e da gioco',
      serviceType: 'serd',
      concernsTreated: ['gambling', 'alcohol'],
      areas: ['municipio_4'],
      handoffContact: { deskName: 'Accoglienza', email: 'accoglienza@example.org', responseTimeHours: 72 },
      schedules: [{ byday: ['MO', 'WE'], opensAt: '09:00', closesAt: '13:00' }],
      locationIds: ['test-sede'],
    };
    const created = await send('post', '/directory/services', service).expect(201);
    expect(created.body).toMatchObject({
      version: 1,
      concernsTreated: ['alcohol', 'gambling'],
      schedules: [{ id: 'test-serd-schedule-1' }],
    });

    // Changes need the version read; a stale one is refused with both versions.
    await send('patch', '/directory/services/test-serd', {
      handoffContact: { ...service.handoffContact, responseTimeHours: 48 },
    })
      .expect(400)
      .expect(({ body }) => expect(body.errors[0].field).toBe('expectedVersion'));
    const changed = await send('patch', '/directory/services/test-serd', {
      handoffContact: { ...service.handoffContact, responseTimeHours: 48 },
      description: null,
    })
      .set('If-Match', '"1"')
      .expect(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({
      version: 2,
      description: null,
      handoffContact: { responseTimeHours: 48 },
      name: service.name,
    });
    const stale = await send('patch', '/directory/services/test-serd', { name: 'Stale edit' })
      .set('If-Match', '"1"')
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'DIRECTORY_VERSION_CONFLICT', expectedVersion: 1, currentVersion: 2 });
    await send('patch', '/directory/services/test-serd', { name: 'Stale edit', expectedVersion: 1 }).expect(409);
    await send('patch', '/directory/services/test-serd', { organizationId: 'elsewhere', expectedVersion: 2 }).expect(
      400,
    );
    await send('patch', '/directory/services/test-serd', { serviceType: 'spaceship', expectedVersion: 2 })
      .expect(400)
      .expect(({ body }) => expect(body.errors[0].field).toBe('serviceType'));
    await send('patch', '/directory/services/no-such-service', { name: 'x', expectedVersion: 1 })
      .expect(404)
      .expect(({ body }) => expect(body.code).toBe('DIRECTORY_ENTRY_NOT_FOUND'));
    await get('/directory/organizations/no-such-org').expect(404);
    await get('/directory/services/not an id').expect(400);

    // Retiring follows the organisation rule: services and locations first.
    await send('post', '/directory/organizations/test-asst/retirement', {})
      .set('If-Match', '"1"')
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('DIRECTORY_VALIDATION'));
    await send('post', '/directory/services/test-serd/retirement', { expectedVersion: 2 })
      .expect(200)
      .expect(({ body }) => expect(body).toMatchObject({ status: 'retired', version: 3 }));
    await send('post', '/directory/locations/test-sede/retirement', { expectedVersion: 1 }).expect(200);
    await send('post', '/directory/organizations/test-asst/retirement', { expectedVersion: 1 }).expect(200);
    await send('post', '/directory/organizations/test-asst/reactivation', { expectedVersion: 2 })
      .expect(200)
      .expect(({ body }) => expect(body.status).toBe('active'));
    await send('post', '/directory/services/test-serd/reactivation', { expectedVersion: 3 }).expect(200);
    const read = await get('/directory/services/test-serd', {}, asOperator).expect(200);
    expect(read.headers.etag).toBe('"4"');
    expect(read.body).toMatchObject({
      status: 'active',
      organization: { id: 'test-asst' },
      locations: [{ id: 'test-sede', status: 'retired' }],
      openNow: expect.any(Boolean),
    });

    // The audit: each write, by whom and when.
    const audit = await get('/directory/changes', { entityId: 'test-serd' }).expect(200);
    expect(
      audit.body.items.map((c: { operation: string; entityVersion: number }) => [c.operation, c.entityVersion]),
    ).toEqual([
      ['create', 1],
      ['change', 2],
      ['retire', 3],
      ['reactivate', 4],
    ]);
    for (const change of audit.body.items)
      expect(change).toMatchObject({
        actorId: 'admin-anna',
        origin: 'admin',
        entityType: 'service',
        changedAt: expect.any(String),
      });
    expect(audit.body.items[1].changedFields).toEqual(['description', 'handoffContact']);
    const page = await get('/directory/changes', { limit: '2' }).expect(200);
    expect(page.body.items).toHaveLength(2);
    const next = await get('/directory/changes', { limit: '2', after: String(page.body.nextAfter) }).expect(200);
    expect(next.body.items[0].id).toBeGreaterThan(page.body.items[1].id);

    // Only administrators write.
    await send('post', '/directory/organizations', { name: 'By an operator' }, asOperator).expect(403);
    await send('patch', '/directory/services/test-serd', { name: 'x', expectedVersion: 4 }, asOperator).expect(403);
    await get('/directory/changes', {}, asOperator).expect(403);
    await get('/directory/export', {}, asOperator).expect(403);
  }, 30_000);

  it('searches services by type, area, target group, concern, words and opening hours, a page at a time', async () => {
    const serd = await get('/directory/services', { serviceType: 'serd', limit: '100' }, asOperator).expect(200);
    expect(serd.body.items.length).toBeGreaterThan(0);
    for (const item of serd.body.items) expect(item.serviceType).toBe('serd');

    const several = await get(
      '/directory/services',
      { serviceType: 'serd,smi', concern: ['cocaine'], area: 'municipio_1' },
      asOperator,
    ).expect(200);
    for (const item of several.body.items) {
      expect(['serd', 'smi']).toContain(item.serviceType);
      expect(item.concernsTreated).toContain('cocaine');
      expect(item.areas).toContain('municipio_1');
    }
    const young = await get('/directory/services', { targetGroup: 'young_people' }, asOperator).expect(200);
    for (const item of young.body.items) expect(item.targetGroups).toContain('young_people');

    const words = await get('/directory/services', { text: 'gioco' }, asOperator).expect(200);
    expect(words.body.items.map((item: { id: string }) => item.id)).toContain('esempio-serd-gioco');

    // Wednesday 10:00 in Milan: the test service (MO, WE 9-13) is open; at 15:00 it is not.
    const open = await get(
      '/directory/services',
      { openNow: 'true', at: '2026-11-25T10:00:00+01:00', area: 'municipio_4', limit: '100' },
      asOperator,
    ).expect(200);
    expect(open.body.items.map((item: { id: string }) => item.id)).toContain('test-serd');
    for (const item of open.body.items) expect(item.openNow).toBe(true);
    const closed = await get(
      '/directory/services',
      { openNow: 'true', at: '2026-11-25T15:00:00+01:00', area: 'municipio_4', limit: '100' },
      asOperator,
    ).expect(200);
    expect(closed.body.items.map((item: { id: string }) => item.id)).not.toContain('test-serd');

    // Keyset pages: every service exactly once, in name order.
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await get('/directory/services', { limit: '5', ...(after ? { after } : {}) }, asOperator).expect(
        200,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      after = page.body.nextCursor ?? undefined;
    } while (after);
    const all = await get('/directory/services', { limit: '100' }, asOperator).expect(200);
    expect(seen).toEqual(all.body.items.map((item: { id: string }) => item.id));

    await get('/directory/services', { serviceType: 'spaceship' }, asOperator)
      .expect(400)
      .expect(({ body }) => expect(body.errors[0].field).toBe('serviceType'));
    await get('/directory/services', { after: 'not-a-cursor' }, asOperator).expect(400);
    await get('/directory/services', {}, await app.bearer({ role: 'evaluator' })).expect(403);
  }, 30_000);
});
