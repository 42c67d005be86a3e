import { DirectoryService } from '@helpline/directory';
import { TestApp } from '../support/test-app';

const SERVICE = 'esempio-serd-centro';
const OTHER_SERVICE = 'esempio-serd-nord';
const operator = { sub: 'operator-7', role: 'operator' as const, lines: ['sostienimi'] };
const supervisor = { sub: 'supervisor-1', role: 'supervisor' as const, lines: ['sostienimi'] };
const staff = { sub: 'serd-centro-staff-3', role: 'service_staff' as const, serviceId: SERVICE };
const otherStaff = { sub: 'serd-nord-staff-1', role: 'service_staff' as const, serviceId: OTHER_SERVICE };

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'person_concerned',
  ageBand: 'under_25',
  gender: 'male',
  concern: 'cocaine',
  heardOfLine: 'web_search',
};
const PRIVATE_NOTE = 'PRIVATE-framing-note-only-for-the-line';
const SUMMARY = 'Would like a first appointment this week, mornings only';

describe('the handoff loop between the line and a SerD, over HTTP', () => {
  let app: TestApp;
  let asOperator: string;
  let asSupervisor: string;
  let asStaff: string;
  let asOtherStaff: string;

  beforeAll(async () => {
    app = await TestApp.start();
    await DirectoryService.onDatabase(app.database).importSample('test-admin');
    [asOperator, asSupervisor, asStaff, asOtherStaff] = await Promise.all([
      app.bearer(operator),
      app.bearer(supervisor),
      app.bearer(staff),
      app.bearer(otherStaff),
    ]);
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
  }, 30_000);

  const post = (path: string, body: object, auth: string) =>
    app.http().post(path).set('Authorization', auth).send(body);
  const get = (path: string, auth: string, query: Record<string, string> = {}) =>
    app.http().get(path).query(query).set('Authorization', auth);

  /** An operator's case with a call-back number, a private note, and a handoff sent to `serviceId`. */
  async function caseWithHandoff(
    serviceId = SERVICE,
    sharedFields = ['age_band', 'concern', 'callback_number', 'summary_note'],
  ) {
    const caseId = (await post('/cases', firstContact, asOperator).expect(201)).body.caseId as string;
    await post(
      `/cases/${caseId}/request-framing`,
      { categories: ['information_on_services'], note: PRIVATE_NOTE },
      asOperator,
    ).expect(200);
    await post(`/cases/${caseId}/callbacks`, { number: '+39 333 123 4567' }, asOperator).expect(201);
    const referralId = (await post(`/cases/${caseId}/referrals`, { serviceId }, asOperator).expect(201)).body.events[0]
      .referralId as string;
    const sent = await post(
      `/cases/${caseId}/referrals/${referralId}/handoff`,
      {
        consent: { given: true, method: 'verbal' },
        sharedFields,
        ...(sharedFields.includes('summary_note') ? { summaryNote: SUMMARY } : {}),
      },
      asOperator,
    ).expect(200);
    return { caseId, referralId, position: sent.body.position as string };
  }

  it('runs the loop: search, refer with consent, the service sees exactly what was shared, accepts, moves the appointment, sees the person, takes them into care', async () => {
    // The operator finds the service in the directory.
    const search = await get('/directory/services', asOperator, {
      serviceType: 'serd',
      concern: 'cocaine',
      area: 'municipio_1',
    }).expect(200);
    const found = search.body.items.find((item: { id: string }) => item.id === SERVICE);
    expect(found).toMatchObject({
      status: 'active',
      handoffContact: { responseTimeHours: 48 },
      openNow: expect.any(Boolean),
    });

    const { caseId, referralId, position } = await caseWithHandoff();

    // The service's inbox: the handoff, with exactly the consented fields.
    const inbox = await get('/handoffs', asStaff, { waitFor: position }).expect(200);
    expect(inbox.body.caughtUp).toBe(true);
    const item = inbox.body.items.find((h: { referralId: string }) => h.referralId === referralId);
    expect(item).toMatchObject({
      caseId,
      serviceId: SERVICE,
      status: 'sent',
      sharedFields: ['age_band', 'concern', 'callback_number', 'summary_note'],
      consentMethod: 'verbal',
    });
    expect(item.shared).toEqual({
      ageBand: 'under_25',
      concern: 'cocaine',
      callbackNumber: { value: '+393331234567', erased: false },
      summaryNote: { value: SUMMARY, erased: false },
    });
    const text = JSON.stringify(inbox.body);
    expect(text).not.toContain(PRIVATE_NOTE);
    expect(text).not.toContain('"male"');
    expect(text).not.toContain('web_search');
    const one = await get(`/handoffs/${caseId}/${referralId}`, asStaff).expect(200);
    expect(one.body.shared).toEqual(item.shared);

    // Staff of another service, and the case's own routes, give nothing away.
    const othersInbox = await get('/handoffs', asOtherStaff, { waitFor: position }).expect(200);
    expect(JSON.stringify(othersInbox.body)).not.toContain(caseId);
    await get(`/handoffs/${caseId}/${referralId}`, asOtherStaff).expect(404);
    await post(`/handoffs/${caseId}/${referralId}/acceptance`, {}, asOtherStaff).expect(404);
    await get(`/cases/${caseId}`, asStaff).expect(403);
    await get(`/cases/${caseId}/history`, asStaff).expect(403);
    await get('/referrals', asStaff).expect(403);

    // The service answers, step by step.
    // Attendance is recorded now, so the (moved) appointment is a time that has come; fixed dates would make the
    // test depend on the day it runs.
    const firstAppointment = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const movedAppointment = new Date(Date.now() - 3_600_000).toISOString();
    const accepted = await post(
      `/handoffs/${caseId}/${referralId}/acceptance`,
      { appointmentAt: firstAppointment },
      asStaff,
    ).expect(200);
    expect(accepted.body.events.map((e: { type: string }) => e.type)).toEqual([
      'HandoffAccepted',
      'AppointmentScheduled',
    ]);
    const moved = await post(
      `/handoffs/${caseId}/${referralId}/appointment`,
      { appointmentAt: movedAppointment },
      asStaff,
    ).expect(200);
    expect(moved.body.events.map((e: { type: string }) => e.type)).toEqual(['AppointmentScheduled']);
    await post(`/handoffs/${caseId}/${referralId}/appointment/attendance`, {}, asStaff).expect(200);
    await post(`/handoffs/${caseId}/${referralId}/acceptance`, {}, asStaff)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('REFERRAL_NOT_SENT'));
    const cared = await post(`/handoffs/${caseId}/${referralId}/taken-into-care`, {}, asStaff).expect(200);
    expect(cared.body.events.map((e: { type: string }) => e.type)).toEqual(['TakenIntoCare']);

    // The pipeline, for the line's operators and for the service.
    const pipeline = await get('/referrals', asOperator, {
      serviceId: SERVICE,
      status: 'taken_into_care',
      waitFor: cared.body.position,
    }).expect(200);
    const row = pipeline.body.items.find((r: { referralId: string }) => r.referralId === referralId);
    expect(row).toMatchObject({
      caseId,
      status: 'taken_into_care',
      appointmentAt: movedAppointment,
      sentAt: expect.any(String),
      acceptedAt: expect.any(String),
      attendedAt: expect.any(String),
      takenIntoCareAt: expect.any(String),
    });
    const closed = await get('/handoffs', asStaff, { status: 'taken_into_care', waitFor: cared.body.position }).expect(
      200,
    );
    const done = closed.body.items.find((h: { referralId: string }) => h.referralId === referralId);
    expect(done).toMatchObject({
      status: 'taken_into_care',
      appointmentAt: movedAppointment,
      personalValuesWithheld: true,
    });
    expect(JSON.stringify(done)).not.toContain('+393331234567');
    expect(
      (await get('/handoffs', asStaff).expect(200)).body.items.map((h: { referralId: string }) => h.referralId),
    ).not.toContain(referralId);

    // The case: its state and its history, each step with the staff member as actor.
    const view = await get(`/cases/${caseId}`, asOperator).expect(200);
    expect(view.body.referrals).toEqual([
      expect.objectContaining({
        referralId,
        serviceId: SERVICE,
        status: 'taken_into_care',
        appointmentAt: movedAppointment,
      }),
    ]);
    const history = await get(`/cases/${caseId}/history`, asOperator).expect(200);
    const steps = history.body.events.slice(-5);
    expect(steps.map((e: { type: string }) => e.type)).toEqual([
      'HandoffAccepted',
      'AppointmentScheduled',
      'AppointmentScheduled',
      'AppointmentAttended',
      'TakenIntoCare',
    ]);
    for (const step of steps) expect(step.actor).toEqual({ id: staff.sub, role: 'service_staff' });
    expect(steps[2].data).toMatchObject({ appointmentAt: movedAppointment, previousAppointmentAt: firstAppointment });

    // Every read by the service is in the case's access log.
    const log = await get('/access-log', asSupervisor, { caseId }).expect(200);
    const reads = log.body.entries.filter((e: { what: string }) => e.what === 'handoff');
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(new Set(reads.map((e: { actorId: string; actorRole: string }) => `${e.actorId}/${e.actorRole}`))).toEqual(
      new Set([`${staff.sub}/service_staff`]),
    );
  }, 30_000);

  it('lets the service decline with a better-suited service, and refuses a suggestion that is not in the directory', async () => {
    const { caseId, referralId, position } = await caseWithHandoff(SERVICE, ['age_band']);
    const inbox = await get('/handoffs', asStaff, { waitFor: position }).expect(200);
    expect(inbox.body.items.find((h: { referralId: string }) => h.referralId === referralId).shared).toEqual({
      ageBand: 'under_25',
    });
    const unknown = await post(
      `/handoffs/${caseId}/${referralId}/decline`,
      { reason: 'outside_catchment_area', suggestedServiceId: 'no-such-service' },
      asStaff,
    ).expect(409);
    expect(unknown.body.code).toBe('SERVICE_NOT_ACTIVE');
    await post(`/handoffs/${caseId}/${referralId}/decline`, { reason: 'not-a-reason' }, asStaff).expect(400);
    const declined = await post(
      `/handoffs/${caseId}/${referralId}/decline`,
      { reason: 'outside_catchment_area', suggestedServiceId: OTHER_SERVICE },
      asStaff,
    ).expect(200);
    expect(declined.body.events).toEqual([expect.objectContaining({ type: 'HandoffDeclined' })]);
    const view = await get(`/cases/${caseId}`, asOperator).expect(200);
    expect(view.body.referrals[0]).toMatchObject({
      status: 'declined',
      declineReason: 'outside_catchment_area',
      suggestedServiceId: OTHER_SERVICE,
    });
    // The line can now refer to the suggested service; that service's staff see it, the first service's do not.
    const second = (await post(`/cases/${caseId}/referrals`, { serviceId: OTHER_SERVICE }, asOperator).expect(201)).body
      .events[0].referralId as string;
    const resent = await post(
      `/cases/${caseId}/referrals/${second}/handoff`,
      { consent: { given: true, method: 'verbal' }, sharedFields: ['concern'] },
      asOperator,
    ).expect(200);
    const theirs = await get('/handoffs', asOtherStaff, { waitFor: resent.body.position }).expect(200);
    expect(theirs.body.items.map((h: { referralId: string }) => h.referralId)).toContain(second);
    await get(`/handoffs/${caseId}/${second}`, asStaff).expect(404);
    await post(`/handoffs/${caseId}/${second}/acceptance`, {}, asStaff).expect(404);
  }, 30_000);

  it('never shows a service a referral that was only proposed', async () => {
    const caseId = (await post('/cases', firstContact, asOperator).expect(201)).body.caseId as string;
    const proposed = await post(`/cases/${caseId}/referrals`, { serviceId: SERVICE }, asOperator).expect(201);
    const referralId = proposed.body.events[0].referralId as string;
    const inbox = await get('/handoffs', asStaff, { waitFor: proposed.body.position, status: 'proposed,sent' }).expect(
      400,
    );
    expect(inbox.body.errors[0].field).toBe('status');
    const all = await get('/handoffs', asStaff, {
      waitFor: proposed.body.position,
      status: 'sent,accepted,withdrawn',
    }).expect(200);
    expect(JSON.stringify(all.body)).not.toContain(referralId);
    await get(`/handoffs/${caseId}/${referralId}`, asStaff).expect(404);
    await post(`/handoffs/${caseId}/${referralId}/acceptance`, {}, asStaff).expect(404);
    // A service_staff token that names no service is not a valid token at all.
    const noService = await app.bearer({ sub: 'staff-without-service', role: 'service_staff' });
    await get('/handoffs', noService).expect(401);
  }, 30_000);

  it('refuses attendance and a no-show before the appointment, and follows the appointment when the service moves it', async () => {
    const { caseId, referralId } = await caseWithHandoff(SERVICE, ['age_band']);
    const nextWeek = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString();
    await post(`/handoffs/${caseId}/${referralId}/acceptance`, { appointmentAt: nextWeek }, asStaff).expect(200);
    for (const step of ['attendance', 'no-show']) {
      const early = await post(`/handoffs/${caseId}/${referralId}/appointment/${step}`, {}, asStaff).expect(409);
      expect(early.body).toMatchObject({ code: 'APPOINTMENT_NOT_YET_DUE', errors: [{ field: 'occurredAt' }] });
    }
    // The caller came earlier than planned: the service moves the appointment to now, and attendance follows the
    // new time (exactly at it is allowed, a moment before is not).
    const moved = new Date().toISOString();
    await post(`/handoffs/${caseId}/${referralId}/appointment`, { appointmentAt: moved }, asStaff).expect(200);
    await post(
      `/handoffs/${caseId}/${referralId}/appointment/attendance`,
      { occurredAt: new Date(Date.parse(moved) - 1).toISOString() },
      asStaff,
    )
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('APPOINTMENT_NOT_YET_DUE'));
    await post(`/handoffs/${caseId}/${referralId}/appointment/attendance`, { occurredAt: moved }, asStaff).expect(200);
    const view = await get(`/cases/${caseId}`, asOperator).expect(200);
    expect(view.body.referrals[0]).toMatchObject({ status: 'attended', appointmentAt: moved });
  }, 30_000);

  it('refuses a service step dated before the handoff was sent or before the case opened, naming occurredAt', async () => {
    const { caseId, referralId } = await caseWithHandoff(SERVICE, ['age_band']);
    const beforeOpening = await post(
      `/handoffs/${caseId}/${referralId}/acceptance`,
      { occurredAt: new Date(Date.now() - 24 * 3_600_000).toISOString() },
      asStaff,
    ).expect(409);
    expect(beforeOpening.body).toMatchObject({
      code: 'OCCURRED_BEFORE_CASE_OPENED',
      errors: [{ field: 'occurredAt' }],
    });
    const view = await get(`/cases/${caseId}`, asOperator).expect(200);
    expect(view.body.referrals[0].status).toBe('sent');
  }, 30_000);

  it('goes on with the service after the operator closed the case: the case, the pipeline and the monthly report show it', async () => {
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit' })
      .format(new Date())
      .slice(0, 7);
    const takenIntoCareIn = async (): Promise<number> => {
      const report = await get('/evaluation/report', asSupervisor, { month, line: 'sostienimi' }).expect(200);
      const steps = report.body.lines[0].tables.find((t: { id: string }) => t.id === 'referral_steps');
      return steps.cells[steps.rows.indexOf('taken_into_care')][0] as number;
    };
    const before = await takenIntoCareIn();

    const { caseId, referralId } = await caseWithHandoff(SERVICE, ['age_band']);
    await post(`/cases/${caseId}/closure`, { outcome: 'referred_to_service' }, asOperator).expect(200);
    // The operator's side stays closed.
    await post(`/cases/${caseId}/referrals`, { serviceId: OTHER_SERVICE }, asOperator)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('CASE_CLOSED'));

    await post(`/handoffs/${caseId}/${referralId}/acceptance`, {}, asStaff).expect(200);
    const cared = await post(`/handoffs/${caseId}/${referralId}/taken-into-care`, {}, asStaff).expect(200);

    const view = await get(`/cases/${caseId}`, asOperator).expect(200);
    expect(view.body).toMatchObject({ status: 'closed', outcome: 'referred_to_service' });
    expect(view.body.referrals).toEqual([expect.objectContaining({ referralId, status: 'taken_into_care' })]);

    const pipeline = await get('/referrals', asOperator, {
      serviceId: SERVICE,
      status: 'taken_into_care',
      waitFor: cared.body.position,
    }).expect(200);
    expect(pipeline.body.items.find((r: { referralId: string }) => r.referralId === referralId)).toMatchObject({
      caseId,
      status: 'taken_into_care',
      acceptedAt: expect.any(String),
      takenIntoCareAt: expect.any(String),
    });

    // Counselling stays closed: the service's steps do not put the case back in the operators' queue.
    const queue = await get('/queues/cases', asOperator, { lineId: 'sostienimi', waitFor: cared.body.position }).expect(
      200,
    );
    expect(queue.body.items.map((i: { caseId: string }) => i.caseId)).not.toContain(caseId);

    // The evaluation's read model follows the log on its own: wait for it to count this referral.
    let after = before;
    for (let attempt = 0; attempt < 100 && after === before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await takenIntoCareIn();
    }
    expect(after).toBe(before + 1);
  }, 30_000);
});
