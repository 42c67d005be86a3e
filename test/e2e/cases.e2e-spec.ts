import { sql } from 'kysely';
import { DirectoryService } from '@helpline/directory';
import { TestApp } from '../support/test-app';

const operator = { sub: 'operator-7', role: 'operator' as const, lines: ['sostienimi'] };
const otherLineOperator = { sub: 'operator-9', role: 'operator' as const, lines: ['psych-emergency'] };
const supervisor = { sub: 'supervisor-1', role: 'supervisor' as const, lines: ['sostienimi'] };

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'family_or_acquaintance',
  ageBand: '40_50',
  gender: 'female',
  concern: 'cocaine',
  heardOfLine: 'web_search',
  occurredAt: '2026-11-24T10:15:00+01:00',
};

describe('the counselling case over HTTP', () => {
  let app: TestApp;
  let asOperator: string;
  let asSupervisor: string;

  beforeAll(async () => {
    app = await TestApp.start();
    await DirectoryService.onDatabase(app.database).importSample('test-admin');
    asOperator = await app.bearer(operator);
    asSupervisor = await app.bearer(supervisor);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const post = (path: string, body: object, auth = asOperator) =>
    app.http().post(path).set('Authorization', auth).send(body);
  const openCase = async () => (await post('/cases', firstContact).expect(201)).body.caseId as string;
  const versionOf = async (caseId: string) =>
    (await app.http().get(`/cases/${caseId}`).set('Authorization', asOperator).expect(200)).body.version as number;

  it('drives a case from first contact to closed, through referral and handoff', async () => {
    const opened = await post('/cases', firstContact).expect(201);
    expect(opened.headers.etag).toBe('"1"');
    expect(opened.body).toMatchObject({
      version: 1,
      replayed: false,
      events: [{ type: 'FirstContactRecorded', version: 1 }],
    });
    expect(opened.body.position).toMatch(/^\d+:\d+$/);
    const caseId: string = opened.body.caseId;

    await post(`/cases/${caseId}/request-framing`, {
      categories: ['information_on_services'],
      note: 'Her son uses cocaine at weekends',
    }).expect(200);
    await post(`/cases/${caseId}/problem-reframing`, { categories: ['relative_addiction'] }).expect(200);
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service' }).expect(200);
    const proposed = await post(`/cases/${caseId}/referrals`, { serviceId: 'esempio-serd-centro' }).expect(201);
    const referralId = proposed.body.events[0].referralId as string;
    expect(referralId).toMatch(/^[0-9a-f-]{36}$/);
    await post(`/cases/${caseId}/referrals/${referralId}/handoff`, {
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band', 'concern'],
    }).expect(200);
    await post(`/cases/${caseId}/follow-up-contacts`, { channel: 'whatsapp', direction: 'outbound' }).expect(200);
    const closed = await post(`/cases/${caseId}/closure`, { outcome: 'referred_to_service' }).expect(200);
    expect(closed.body.events.map((e: { type: string }) => e.type)).toContain('CaseClosed');

    const view = await app.http().get(`/cases/${caseId}`).set('Authorization', asOperator).expect(200);
    expect(view.body).toMatchObject({
      status: 'closed',
      outcome: 'referred_to_service',
      lineId: 'sostienimi',
      contacts: 2,
      furthestPhase: expect.any(String),
    });
    expect(view.body.referrals).toEqual([
      expect.objectContaining({ referralId, serviceId: 'esempio-serd-centro', status: 'sent' }),
    ]);

    const refused = await post(`/cases/${caseId}/goal`, { goalKind: 'start_treatment' }).expect(409);
    expect(refused.body.code).toBe('CASE_CLOSED');
    await post(`/cases/${caseId}/reopening`, { reason: 'caller_recontacted' }).expect(200);
    expect((await app.http().get(`/cases/${caseId}`).set('Authorization', asOperator)).body.status).toBe('open');
  });

  it('refuses a referral to a service that is not in the directory', async () => {
    const caseId = await openCase();
    const response = await post(`/cases/${caseId}/referrals`, { serviceId: 'no-such-service' }).expect(409);
    expect(response.body).toMatchObject({ code: 'SERVICE_NOT_ACTIVE', errors: [{ field: 'serviceId' }] });
  });

  it('answers a stale If-Match with 412 (a failed precondition) and a stale expectedVersion with 409, appending nothing', async () => {
    const caseId = await openCase();
    await post(`/cases/${caseId}/request-framing`, { categories: ['listening'] })
      .set('If-Match', '"1"')
      .expect(200);
    const stale = await post(`/cases/${caseId}/goal`, { goalKind: 'manage_emotions' })
      .set('If-Match', '"1"')
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', status: 412, expectedVersion: 1, currentVersion: 2 });
    const staleInBody = await post(`/cases/${caseId}/goal`, { goalKind: 'manage_emotions', expectedVersion: 1 }).expect(
      409,
    );
    expect(staleInBody.body).toMatchObject({ code: 'STALE_VERSION', status: 409, currentVersion: 2 });
    expect(await versionOf(caseId)).toBe(2);
  });

  it('answers a retried request with the same Idempotency-Key with the first response, appending nothing', async () => {
    const first = await post('/cases', firstContact).set('Idempotency-Key', 'open-case-retry-0001').expect(201);
    const retry = await post('/cases', firstContact).set('Idempotency-Key', 'open-case-retry-0001').expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect({ ...retry.body, replayed: false }).toEqual(first.body);
    const caseId = first.body.caseId;
    const frame = { categories: ['listening'] };
    const a = await post(`/cases/${caseId}/request-framing`, frame)
      .set('Idempotency-Key', 'frame-retry-0001')
      .expect(200);
    // The case has moved on since; the retry is still answered with the first response.
    await post(`/cases/${caseId}/closure`, { outcome: 'information_given' }).expect(200);
    const b = await post(`/cases/${caseId}/request-framing`, frame)
      .set('Idempotency-Key', 'frame-retry-0001')
      .expect(200);
    expect(b.body.version).toBe(a.body.version);
    const versionAfter = await versionOf(caseId);
    const reused = await post(`/cases/${caseId}/request-framing`, { categories: ['other'] })
      .set('Idempotency-Key', 'frame-retry-0001')
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await versionOf(caseId)).toBe(versionAfter);
  });

  it('answers malformed input with 400 naming each field and why, and writes nothing', async () => {
    const caseId = await openCase();
    const bad = await post(`/cases/${caseId}/request-framing`, {
      categories: ['not-a-category'],
      note: 42,
      surprise: true,
    }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['categories', 'note', 'surprise']));
    expect(bad.body.errors.find((e: { field: string }) => e.field === 'categories').reason).toMatch(/must be one of/);
    const missing = await post('/cases', { ...firstContact, lineId: undefined, channel: 'pigeon' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['lineId', 'channel']),
    );
    await app
      .http()
      .get('/cases/not-a-uuid')
      .set('Authorization', asOperator)
      .expect(400)
      .expect(({ body }) => expect(body.errors[0].field).toBe('caseId'));
    await post(`/cases/${caseId}/callbacks`, { number: 'call me maybe' })
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('INVALID_PHONE_NUMBER'));
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service', occurredAt: '2999-01-01T00:00:00Z' }).expect(
      400,
    );
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service', occurredAt: 'yesterday' }).expect(400);
    expect(await versionOf(caseId)).toBe(1);
  });

  it('keeps operators to their lines: another line cannot open, read or change the case', async () => {
    const caseId = await openCase();
    const other = await app.bearer(otherLineOperator);
    await post('/cases', firstContact, other)
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('LINE_NOT_ALLOWED'));
    await app.http().get(`/cases/${caseId}`).set('Authorization', other).expect(404);
    await app.http().get(`/cases/${caseId}/history`).set('Authorization', other).expect(404);
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service' }, other).expect(404);
    await app
      .http()
      .get(`/cases/${caseId}`)
      .set('Authorization', await app.bearer({ role: 'evaluator' }))
      .expect(403);
    await app
      .http()
      .get(`/cases/${caseId}`)
      .set('Authorization', await app.bearer({ role: 'service_staff', serviceId: 'esempio-serd-centro' }))
      .expect(403);
    await post(`/cases/${caseId}/supervision-notes`, { note: 'x' }).expect(403);
    await post(`/cases/${caseId}/supervision-notes`, { note: 'Keep the family in the loop' }, asSupervisor).expect(200);
    await app.http().get(`/cases/${crypto.randomUUID()}`).set('Authorization', asOperator).expect(404);
  });

  it('shows the history with notes opened for the line, and records every read in the access log', async () => {
    const caseId = await openCase();
    await post(`/cases/${caseId}/request-framing`, {
      categories: ['listening'],
      note: 'Worried about his drinking',
    }).expect(200);
    const history = await app.http().get(`/cases/${caseId}/history`).set('Authorization', asOperator).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['FirstContactRecorded', 'RequestFramed']);
    expect(history.body.events[1]).toMatchObject({
      actor: { id: 'operator-7', role: 'operator' },
      data: { note: { value: 'Worried about his drinking', erased: false } },
    });
    const log = await app.http().get('/access-log').query({ caseId }).set('Authorization', asSupervisor).expect(200);
    expect(log.body.entries.map((e: { what: string; actorId: string }) => [e.what, e.actorId])).toEqual([
      ['case_history', 'operator-7'],
    ]);
    await app.http().get('/access-log').set('Authorization', asOperator).expect(403);
  });

  it('erases personal data: no planted value remains anywhere in the database, while the timeline stays', async () => {
    const planted = {
      note: 'PLANTED-NOTE-Giulia-lives-in-via-Padova',
      number: '+39 347 000 1122',
      goal: 'PLANTED-GOAL-meet-at-home',
    };
    const caseId = await openCase();
    await post(`/cases/${caseId}/request-framing`, { categories: ['listening'], note: planted.note }).expect(200);
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service', description: planted.goal }).expect(200);
    const callback = await post(`/cases/${caseId}/callbacks`, { number: planted.number }).expect(201);
    expect(callback.body.events[0].callbackId).toBeDefined();
    const before = await app.http().get(`/cases/${caseId}/history`).set('Authorization', asOperator).expect(200);
    expect(JSON.stringify(before.body)).toContain(planted.note);
    expect(JSON.stringify(before.body)).toContain('+393470001122');

    await post(`/cases/${caseId}/personal-data-erasure`, { reason: 'caller_request' }).expect(403);
    await post(`/cases/${caseId}/personal-data-erasure`, { reason: 'caller_request' }, asSupervisor).expect(200);

    const after = await app.http().get(`/cases/${caseId}/history`).set('Authorization', asOperator).expect(200);
    expect(after.body.events).toHaveLength(before.body.events.length + 1);
    expect(after.body.events[1].data.note).toEqual({ value: null, erased: true });
    const text = JSON.stringify(after.body);
    for (const value of [planted.note, planted.goal, '+393470001122', '3470001122']) expect(text).not.toContain(value);

    const dump = await dumpDatabase(app);
    for (const value of [planted.note, planted.goal, '+393470001122', '347 000 1122', '3470001122', 'Giulia'])
      expect(dump).not.toContain(value);
    expect(dump).toContain('PersonalDataErased');

    const refused = await post(`/cases/${caseId}/request-framing`, {
      categories: ['listening'],
      note: 'new note',
    }).expect(409);
    expect(refused.body.code).toBe('PERSONAL_DATA_ERASED');
  });

  it("shows a call-back's number only to the operator the case is assigned to, who makes the call", async () => {
    const colleague = { sub: 'operator-8', role: 'operator' as const, lines: ['sostienimi'] };
    const asColleague = await app.bearer(colleague);
    const caseId = await openCase();
    await post(`/cases/${caseId}/callbacks`, { number: '+39 333 765 4321' }).expect(201);
    const requestedAs = async (auth: string) => {
      const history = await app.http().get(`/cases/${caseId}/history`).set('Authorization', auth).expect(200);
      return history.body.events.find((e: { type: string }) => e.type === 'CallbackRequested').data;
    };
    const withheld = { value: null, erased: false, withheld: true };

    expect((await requestedAs(asOperator)).number).toEqual({ value: '+393337654321', erased: false });
    expect((await requestedAs(asColleague)).number).toEqual(withheld);
    expect((await requestedAs(asSupervisor)).number).toEqual(withheld);

    // The colleague takes the case to make the call: the number is theirs now, and no longer the first operator's.
    await post(`/cases/${caseId}/assignment`, { operatorId: colleague.sub }, asColleague).expect(200);
    expect((await requestedAs(asColleague)).number).toEqual({ value: '+393337654321', erased: false });
    expect((await requestedAs(asOperator)).number).toEqual(withheld);
  });

  it('destroys a call-back number once the call-back is completed', async () => {
    const caseId = await openCase();
    const callback = await post(`/cases/${caseId}/callbacks`, { number: '02 1234 5678' }).expect(201);
    const callbackId = callback.body.events[0].callbackId;
    await post(`/cases/${caseId}/callbacks/${callbackId}/attempts`, { outcome: 'no_answer' }).expect(200);
    const done = await post(`/cases/${caseId}/callbacks/${callbackId}/completion`, {
      resolution: 'caller_reached',
    }).expect(200);
    expect(done.body.events.map((e: { type: string }) => e.type)).toEqual([
      'CallbackCompleted',
      'CallbackNumberDiscarded',
    ]);
    const history = await app.http().get(`/cases/${caseId}/history`).set('Authorization', asOperator).expect(200);
    const requested = history.body.events.find((e: { type: string }) => e.type === 'CallbackRequested');
    expect(requested.data.number).toEqual({ value: null, erased: true });
    expect(await dumpDatabase(app)).not.toContain('+390212345678');
    const unknown = await post(`/cases/${caseId}/callbacks/${crypto.randomUUID()}/attempts`, {
      outcome: 'busy',
    }).expect(409);
    expect(unknown.body.code).toBe('CALLBACK_NOT_REQUESTED');
  });
});

/** Every row of every table in the public schema, as text. */
async function dumpDatabase(app: TestApp): Promise<string> {
  const tables = await sql<{
    table_name: string;
  }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
    app.database.db,
  );
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(
      app.database.db,
    );
    parts.push(...rows.rows.map((r) => r.row));
  }
  return parts.join('\n');
}
