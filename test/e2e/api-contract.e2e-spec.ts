import { mintDevelopmentToken } from '@helpline/auth';
import { DirectoryService } from '@helpline/directory';
import { OpenApiContract } from '../support/openapi-contract';
import { TestApp, type TestUser } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVICE = 'esempio-serd-centro';
const UNIT = 'unit-municipio-4';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (millis: number) => new Date(millis).toISOString();

const users = {
  operator: { sub: 'operator-7', role: 'operator', lines: ['sostienimi'] },
  supervisor: { sub: 'supervisor-1', role: 'supervisor', lines: ['sostienimi'] },
  staff: { sub: 'serd-centro-staff-3', role: 'service_staff', serviceId: SERVICE },
  evaluator: { sub: 'evaluator-1', role: 'evaluator' },
  admin: { sub: 'admin-1', role: 'admin' },
  worker: { sub: 'sw-ada', role: 'social_worker', unitId: UNIT },
  officer: { sub: 'po-bruno', role: 'unit_officer', unitId: UNIT },
  liaison: { sub: 'pl-elena', role: 'police_liaison' },
  operations: { sub: 'co-franco', role: 'police_operations' },
  director: { sub: 'dir-giulia', role: 'area_director' },
} satisfies Record<string, TestUser & { unitId?: string }>;
type UserName = keyof typeof users;

/**
 * The API keeps its word: a run through the daily flows of every role, where each success answer is checked against
 * the schema the OpenAPI document gives for its route and status (test/support/openapi-contract.ts). A handler that
 * answers a member its documentation lacks, leaves one out, or gives a value of another type or vocabulary fails here.
 */
describe('the answers the API gives, against the answers it documents', () => {
  let app: TestApp;
  let contract: OpenApiContract;
  const bearer = new Map<UserName, string>();
  const problems: string[] = [];
  const exercised = new Set<string>();

  beforeAll(async () => {
    app = await TestApp.start();
    await DirectoryService.onDatabase(app.database).importSample('test-admin');
    contract = new OpenApiContract((await app.http().get('/docs/openapi.json').expect(200)).body as Json);
    for (const [name, user] of Object.entries(users) as Array<[UserName, TestUser & { unitId?: string }]>)
      bearer.set(name, `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, { ...user, sub: user.sub ?? name })}`);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  }, 30_000);
  // Each test answers for the routes it called.
  beforeEach(() => problems.splice(0));

  /** A request as a client makes it; its answer must have the status expected and, if a success, match its schema. */
  async function call(
    as: UserName | null,
    method: 'get' | 'post' | 'patch' | 'put',
    url: string,
    expected: number,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<Json> {
    let request = app.http()[method](url);
    if (as) request = request.set('Authorization', bearer.get(as)!);
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    const response = body === undefined ? await request : await request.send(body);
    const answered = { status: response.status, ...(response.status >= 400 ? { problem: response.body as Json } : {}) };
    expect({ [`${method.toUpperCase()} ${url}`]: answered }).toEqual({
      [`${method.toUpperCase()} ${url}`]: { status: expected },
    });
    exercised.add(`${method} ${contract.templateOf(url)}`);
    if (/json/.test(String(response.headers['content-type']))) {
      const problem = contract.problemsWith(method, url, response.status, response.body);
      if (problem) problems.push(problem);
    }
    return response.body as Json;
  }

  it('answers every step of the counselling, referral and handoff flows as documented', async () => {
    const now = Date.now();
    await call(null, 'get', '/health', 200);
    await call(null, 'get', '/health/ready', 200);
    await call('operator', 'get', '/me', 200);
    await call('staff', 'get', '/me', 200);

    const opened = await call('operator', 'post', '/cases', 201, {
      lineId: 'sostienimi',
      channel: 'voicemail',
      callerType: 'person_concerned',
      ageBand: '40_50',
      gender: 'female',
      concern: 'cocaine',
      heardOfLine: 'web_search',
      occurredAt: at(now - 3 * HOUR),
    });
    const caseId = opened.caseId as string;
    await call('operator', 'post', `/cases/${caseId}/request-framing`, 200, {
      categories: ['information_on_services'],
      note: 'Calls about her son',
    });
    await call('operator', 'post', `/cases/${caseId}/problem-reframing`, 200, { categories: ['relative_addiction'] });
    await call('operator', 'post', `/cases/${caseId}/goal`, 200, { goalKind: 'contact_a_service' });
    await call('operator', 'post', `/cases/${caseId}/risk-flags`, 200, { level: 'high', kind: 'self_harm' });
    await call('operator', 'post', `/cases/${caseId}/follow-up-contacts`, 200, {
      channel: 'whatsapp',
      direction: 'inbound',
    });
    const callback = await call('operator', 'post', `/cases/${caseId}/callbacks`, 201, {
      number: '+39 333 123 4567',
    });
    const callbackId = callback.events[0].callbackId as string;
    await call('operator', 'post', `/cases/${caseId}/callbacks/${callbackId}/attempts`, 200, {
      outcome: 'no_answer',
    });
    const session = await call('operator', 'post', `/cases/${caseId}/sessions`, 201, {
      scheduledFor: at(now - HOUR),
      mode: 'phone',
    });
    await call('operator', 'post', `/cases/${caseId}/sessions/${session.events[0].sessionId}/held`, 200, {});

    await call('operator', 'get', '/directory/services?serviceType=serd&concern=cocaine&openNow=true', 200);
    await call('operator', 'get', `/directory/services/${SERVICE}`, 200);
    const proposed = await call('operator', 'post', `/cases/${caseId}/referrals`, 201, { serviceId: SERVICE });
    const referralId = proposed.events[0].referralId as string;
    const sent = await call('operator', 'post', `/cases/${caseId}/referrals/${referralId}/handoff`, 200, {
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band', 'concern', 'callback_number', 'summary_note'],
      summaryNote: 'Would like an appointment this week',
    });
    const waitFor = sent.position as string;

    const caseView = await call('operator', 'get', `/cases/${caseId}`, 200);
    expect(caseView).toMatchObject({ status: 'open', risk: { level: 'high' }, referrals: [{ status: 'sent' }] });
    await call('operator', 'get', `/cases/${caseId}/history`, 200);
    await call('operator', 'get', `/cases?reference=${caseView.reference}&waitFor=${waitFor}`, 200);
    await call('operator', 'get', `/cases?callerNumber=${encodeURIComponent('+39 333 123 4567')}`, 200);
    for (const queue of ['mine', 'unassigned', 'cases', 'callbacks'])
      await call('operator', 'get', `/queues/${queue}?waitFor=${waitFor}`, 200);
    await call('operator', 'get', `/referrals?waitFor=${waitFor}`, 200);
    await call('operator', 'get', '/referrals/overdue', 200);

    // The service's side of the handoff.
    const inbox = await call('staff', 'get', `/handoffs?waitFor=${waitFor}`, 200);
    expect(inbox.items.map((item: Json) => item.referralId)).toContain(referralId);
    await call('staff', 'get', `/handoffs/${caseId}/${referralId}`, 200);
    await call('staff', 'post', `/handoffs/${caseId}/${referralId}/acceptance`, 200, {
      appointmentAt: at(now - 2 * HOUR),
    });
    await call('staff', 'post', `/handoffs/${caseId}/${referralId}/appointment`, 200, {
      appointmentAt: at(now - HOUR),
    });
    await call('staff', 'post', `/handoffs/${caseId}/${referralId}/appointment/attendance`, 200, {});
    const cared = await call('staff', 'post', `/handoffs/${caseId}/${referralId}/taken-into-care`, 200, {});
    await call('operator', 'get', `/referrals/funnel`, 200);

    // Supervision, closing, erasure, the access log.
    await call('supervisor', 'post', `/cases/${caseId}/supervision-notes`, 200, { note: 'Keep the family close' });
    await call('operator', 'post', `/cases/${caseId}/callbacks/${callbackId}/completion`, 200, {
      resolution: 'caller_reached',
    });
    await call('operator', 'post', `/cases/${caseId}/closure`, 200, { outcome: 'referred_to_service' });
    await call('operator', 'post', `/cases/${caseId}/caller-feedback`, 200, { rating: 'satisfied' });
    await call('supervisor', 'post', `/cases/${caseId}/personal-data-erasure`, 200, { reason: 'caller_request' });
    await call('supervisor', 'get', `/cases/${caseId}`, 200);
    await call('supervisor', 'get', `/cases/${caseId}/history`, 200);
    await call('supervisor', 'get', `/access-log?caseId=${caseId}`, 200);
    await call('staff', 'get', `/handoffs/${caseId}/${referralId}`, 200);

    // Evaluation: the month's report as JSON, for the evaluator and for the line.
    // Evaluators get ended months only; the line's supervisor gets the month in progress.
    const month = new Date(now).toISOString().slice(0, 7);
    const lastMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1))
      .toISOString()
      .slice(0, 7);
    await call('evaluator', 'get', `/evaluation/report?month=${lastMonth}`, 200);
    await call('supervisor', 'get', `/evaluation/report?month=${month}`, 200);
    expect(cared.replayed).toBe(false);

    expect(problems).toEqual([]);
  });

  it('answers the other turns a case and its referrals can take as documented', async () => {
    const now = Date.now();
    const opened = await call('operator', 'post', '/cases', 201, {
      lineId: 'sostienimi',
      channel: 'phone',
      callerType: 'family_or_acquaintance',
      ageBand: 'over_60',
      gender: 'not_stated',
      concern: 'alcohol',
      heardOfLine: 'services',
      occurredAt: at(now - 5 * HOUR),
    });
    const caseId = opened.caseId as string;
    await call('supervisor', 'post', `/cases/${caseId}/assignment`, 200, { operatorId: 'operator-8' });
    await call('operator', 'post', `/cases/${caseId}/legal-advice`, 200, { topic: 'drug_law_sanctions' });
    await call('operator', 'post', `/cases/${caseId}/safety-escalations`, 200, { action: 'supervisor_alerted' });
    const session = await call('operator', 'post', `/cases/${caseId}/sessions`, 201, {
      scheduledFor: at(now - 2 * HOUR),
      mode: 'phone',
    });
    await call('operator', 'post', `/cases/${caseId}/sessions/${session.events[0].sessionId}/missed`, 200, {});

    const withdrawn = await call('operator', 'post', `/cases/${caseId}/referrals`, 201, { serviceId: SERVICE });
    await call('operator', 'post', `/cases/${caseId}/referrals/${withdrawn.events[0].referralId}/withdrawal`, 200, {
      reason: 'caller_changed_mind',
    });
    const handoff = async () => {
      const proposed = await call('operator', 'post', `/cases/${caseId}/referrals`, 201, { serviceId: SERVICE });
      const referralId = proposed.events[0].referralId as string;
      await call('operator', 'post', `/cases/${caseId}/referrals/${referralId}/handoff`, 200, {
        consent: { given: true, method: 'written' },
        sharedFields: ['concern'],
      });
      return referralId;
    };
    const missed = await handoff();
    await call('staff', 'post', `/handoffs/${caseId}/${missed}/acceptance`, 200, { appointmentAt: at(now - HOUR) });
    await call('staff', 'post', `/handoffs/${caseId}/${missed}/appointment/no-show`, 200, {});
    const declined = await handoff();
    await call('staff', 'post', `/handoffs/${caseId}/${declined}/decline`, 200, { reason: 'no_capacity' });
    await call('staff', 'get', `/handoffs?status=declined,no_show`, 200);

    await call('operator', 'post', `/cases/${caseId}/taken-in-charge`, 200, {});
    await call('operator', 'post', `/cases/${caseId}/closure`, 200, { outcome: 'taken_in_charge_by_line' });
    await call('operator', 'post', `/cases/${caseId}/reopening`, 200, { reason: 'caller_recontacted' });
    expect(await call('operator', 'get', `/cases/${caseId}`, 200)).toMatchObject({
      status: 'open',
      takenInChargeByLine: true,
      referrals: expect.arrayContaining([
        expect.objectContaining({ status: 'withdrawn', withdrawalReason: 'caller_changed_mind' }),
        expect.objectContaining({ status: 'declined', declineReason: 'no_capacity' }),
      ]),
    });

    expect(problems).toEqual([]);
  });

  it('answers the administrator of the directory and of the read models as documented', async () => {
    await call('admin', 'get', '/admin/projections', 200);
    await call('admin', 'post', '/admin/projections/case-queue/retry', 200, {});
    await call('admin', 'get', '/directory/organizations', 200);
    await call('admin', 'get', '/directory/locations', 200);
    await call('admin', 'get', '/directory/taxonomy-terms', 200);
    const organization = await call('admin', 'post', '/directory/organizations', 201, {
      id: 'contract-test-org',
      name: 'Associazione Contratto (prova)',
    });
    await call('admin', 'get', `/directory/organizations/${organization.id}`, 200);
    const changedOrganization = await call(
      'admin',
      'patch',
      `/directory/organizations/${organization.id}`,
      200,
      { description: 'Changed' },
      { 'If-Match': `"${organization.version}"` },
    );
    const location = await call('admin', 'post', '/directory/locations', 201, {
      id: 'contract-test-location',
      organizationId: organization.id,
      name: 'Sede (prova)',
      municipio: 'municipio_2',
    });
    await call('admin', 'get', `/directory/locations/${location.id}`, 200);
    const service = await call('admin', 'post', '/directory/services', 201, {
      id: 'contract-test-service',
      organizationId: organization.id,
      name: 'Servizio (prova)',
      serviceType: 'smi',
      handoffContact: { deskName: 'Invii', phone: '+39 02 0000 0000', responseTimeHours: 48 },
      schedules: [{ byday: ['MO'], opensAt: '09:00', closesAt: '13:00' }],
      locationIds: [location.id],
    });
    const retired = await call('admin', 'post', `/directory/services/${service.id}/retirement`, 200, {
      expectedVersion: service.version,
    });
    const reactivated = await call('admin', 'post', `/directory/services/${service.id}/reactivation`, 200, {
      expectedVersion: retired.version,
    });
    const changed = await call(
      'admin',
      'patch',
      `/directory/services/${service.id}`,
      200,
      { description: 'Mornings only' },
      { 'If-Match': `"${reactivated.version}"` },
    );
    const changedLocation = await call('admin', 'patch', `/directory/locations/${location.id}`, 200, {
      transportation: 'Bus 90',
      expectedVersion: location.version,
    });
    const retiredLocation = await call('admin', 'post', `/directory/locations/${location.id}/retirement`, 200, {
      expectedVersion: changedLocation.version,
    });
    await call('admin', 'post', `/directory/services/${service.id}/retirement`, 200, {
      expectedVersion: changed.version,
    });
    const retiredOrganization = await call(
      'admin',
      'post',
      `/directory/organizations/${organization.id}/retirement`,
      200,
      { expectedVersion: changedOrganization.version },
    );
    await call('admin', 'post', `/directory/organizations/${organization.id}/reactivation`, 200, {
      expectedVersion: retiredOrganization.version,
    });
    await call('admin', 'post', `/directory/locations/${location.id}/reactivation`, 200, {
      expectedVersion: retiredLocation.version,
    });
    await call('admin', 'put', '/directory/taxonomy-terms/contract-test-term', 200, {
      name: 'Termine (prova)',
      taxonomy: 'helpline-milano',
    });
    await call('admin', 'get', '/directory/changes?entityType=service', 200);
    const exported = await call('admin', 'get', '/directory/export', 200);
    await call('admin', 'post', '/directory/import', 200, {
      ...exported,
      organizations: (exported.organizations as Json[]).filter((entry) => entry.id === organization.id),
    });
    await call('admin', 'post', '/admin/projections/referral-pipeline/rebuild', 202, {});
    await call('admin', 'get', '/directory/export?format=csv', 200);

    expect(problems).toEqual([]);
  });

  it('answers every step of the safety protocol as documented', async () => {
    const now = Date.now();
    const drafted = await call('worker', 'post', '/safety/requests', 201, {
      meetingAt: at(now - 24 * HOUR),
      address: 'Via Esempio 1, Milano',
      serviceUser: 'M. R.',
      factsSummary: 'Threats at the last meeting',
      risk: 'high',
      occurredAt: at(now - 100 * HOUR),
    });
    const requestId = drafted.requestId as string;
    const meetingAt = now - 24 * HOUR;
    await call('worker', 'post', `/safety/requests/${requestId}/edits`, 200, {
      risk: 'moderate',
      occurredAt: at(now - 99 * HOUR),
    });
    const sent = await call('officer', 'post', `/safety/requests/${requestId}/sending`, 200, {
      occurredAt: at(now - 75 * HOUR),
    });
    await call('liaison', 'get', `/safety/liaison/worklist?waitFor=${sent.position}`, 200);
    await call('liaison', 'post', `/safety/requests/${requestId}/acknowledgement`, 200, {
      occurredAt: at(now - 70 * HOUR),
    });
    await call('liaison', 'post', `/safety/requests/${requestId}/information-requests`, 200, {
      question: 'Which floor?',
      occurredAt: at(now - 69 * HOUR),
    });
    await call('worker', 'post', `/safety/requests/${requestId}/information`, 200, {
      information: 'Second floor',
      occurredAt: at(now - 68 * HOUR),
    });
    await call('liaison', 'post', `/safety/requests/${requestId}/presence-confirmation`, 200, {
      officers: 2,
      presentFrom: at(meetingAt - 15 * MINUTE),
      occurredAt: at(now - 60 * HOUR),
    });
    for (const reader of ['worker', 'liaison', 'operations', 'director'] as const)
      await call(reader, 'get', `/safety/requests/${requestId}`, 200);
    const outcome = await call('worker', 'post', `/safety/requests/${requestId}/meeting-outcome`, 200, {
      outcome: 'incident',
      incidentKind: 'physical_aggression',
      startedAt: at(meetingAt + 20 * MINUTE),
      colleaguesCalled: true,
      colleaguesCount: 2,
      operationsCentreCalledAt: at(meetingAt + 22 * MINUTE),
      location: 'In the car park',
      occurredAt: at(meetingAt + 2 * HOUR),
    });
    const emergencyId = outcome.emergency.emergencyId as string;
    await call('operations', 'post', `/safety/emergencies/${emergencyId}/patrol-dispatch`, 200, {
      occurredAt: at(meetingAt + 25 * MINUTE),
    });
    await call('operations', 'post', `/safety/emergencies/${emergencyId}/other-forces-alerts`, 200, {
      forces: ['ambulance_118'],
      occurredAt: at(meetingAt + 26 * MINUTE),
    });
    await call('operations', 'post', `/safety/emergencies/${emergencyId}/patrol-arrival`, 200, {
      occurredAt: at(meetingAt + 37 * MINUTE),
    });
    await call('liaison', 'post', `/safety/emergencies/${emergencyId}/patrol-report`, 200, {
      sharedWithDirectorate: ['report_summary'],
      occurredAt: at(meetingAt + 3 * HOUR),
    });
    const closed = await call('worker', 'post', `/safety/emergencies/${emergencyId}/closure`, 200, {
      occurredAt: at(meetingAt + 4 * HOUR),
    });
    for (const reader of ['worker', 'operations'] as const)
      await call(reader, 'get', `/safety/emergencies/${emergencyId}`, 200);

    const recorded = await call('worker', 'post', '/safety/emergencies', 201, {
      kind: 'verbal_aggression',
      startedAt: at(now - 30 * MINUTE),
      colleaguesCalled: false,
      location: 'Reception desk',
    });
    await call('worker', 'post', `/safety/emergencies/${recorded.emergencyId}/operations-centre-call`, 200, {
      occurredAt: at(now - 28 * MINUTE),
    });
    const cancellable = await call('worker', 'post', '/safety/requests', 201, {
      meetingAt: at(now + 96 * HOUR),
      address: 'Via Altra 2, Milano',
      serviceUser: 'G. B.',
      factsSummary: 'Raised voice on the phone',
      risk: 'low',
    });
    await call('worker', 'post', `/safety/requests/${cancellable.requestId}/cancellation`, 200, {
      reason: 'risk_reassessed',
    });

    await call('director', 'get', `/safety/register?waitFor=${closed.position}`, 200);
    await call('worker', 'get', '/safety/register?kind=request', 200);
    const month = new Date(now).toISOString().slice(0, 7);
    await call('director', 'get', `/safety/monitoring?from=${month}&to=${month}&waitFor=${closed.position}`, 200);
    await call('evaluator', 'get', `/safety/monitoring/export?month=${month}`, 200);

    expect(problems).toEqual([]);
  });

  it('went through most of the documented routes', () => {
    // Not every route (a refusal path, a CSV) but most of them, so that a drift anywhere is likely to show.
    const documented = contract.operations().length;
    expect(exercised.size).toBeGreaterThanOrEqual(Math.floor(documented * 0.8));
  });
});
