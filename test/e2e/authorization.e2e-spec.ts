import { randomUUID } from 'node:crypto';
import { mintDevelopmentToken, ROLES, type Role } from '@helpline/auth';
import { DirectoryService } from '@helpline/directory';
import { TestApp } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';

/**
 * Every route of the API, tried by every role, by the staff of a service the case was NOT sent to, and without a
 * token. The routes come from the OpenAPI document, so a new route fails this test until it is given its line in
 * the table below: who may call it, and what the staff of another service get.
 */

type Caller = Role | 'other_service_staff' | 'anonymous';
interface Access {
  /** The roles allowed (their answer must be neither 401 nor 403), or 'public' (no token needed). */
  readonly roles: readonly Role[] | 'public';
  /** For routes service staff may call: what the staff of another service get for the fixture's case. */
  readonly otherService?: 404 | 'no-fixture-data';
}

const LINE_ROLES: readonly Role[] = ['operator', 'supervisor'];
const ADMIN: readonly Role[] = ['admin'];
const DIRECTORY_READERS: readonly Role[] = ['operator', 'supervisor', 'admin', 'service_staff'];
const SERVICE_STAFF: readonly Role[] = ['service_staff'];
const UNIT: readonly Role[] = ['social_worker', 'unit_officer'];
const SAFETY: readonly Role[] = [
  'social_worker',
  'unit_officer',
  'police_liaison',
  'police_operations',
  'area_director',
];

const EXPECTED: Readonly<Record<string, Access>> = {
  'GET /health': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  // How the console signs in: asked before anyone has a token.
  'GET /auth/console-config': { roles: 'public' },
  'GET /me': { roles: ROLES, otherService: 'no-fixture-data' },

  'GET /admin/projections': { roles: ADMIN },
  'POST /admin/projections/{name}/rebuild': { roles: ADMIN },
  'POST /admin/projections/{name}/retry': { roles: ADMIN },

  'GET /directory/services': { roles: DIRECTORY_READERS, otherService: 'no-fixture-data' },
  'GET /directory/services/{id}': { roles: DIRECTORY_READERS, otherService: 'no-fixture-data' },
  'POST /directory/services': { roles: ADMIN },
  'PATCH /directory/services/{id}': { roles: ADMIN },
  'POST /directory/services/{id}/retirement': { roles: ADMIN },
  'POST /directory/services/{id}/reactivation': { roles: ADMIN },
  'POST /directory/organizations': { roles: ADMIN },
  'GET /directory/organizations': { roles: ADMIN },
  'GET /directory/organizations/{id}': { roles: ADMIN },
  'PATCH /directory/organizations/{id}': { roles: ADMIN },
  'POST /directory/organizations/{id}/retirement': { roles: ADMIN },
  'POST /directory/organizations/{id}/reactivation': { roles: ADMIN },
  'POST /directory/locations': { roles: ADMIN },
  'GET /directory/locations': { roles: ADMIN },
  'GET /directory/locations/{id}': { roles: ADMIN },
  'PATCH /directory/locations/{id}': { roles: ADMIN },
  'POST /directory/locations/{id}/retirement': { roles: ADMIN },
  'POST /directory/locations/{id}/reactivation': { roles: ADMIN },
  'GET /directory/taxonomy-terms': { roles: ADMIN },
  'PUT /directory/taxonomy-terms/{id}': { roles: ADMIN },
  'GET /directory/changes': { roles: ADMIN },
  'POST /directory/import': { roles: ADMIN },
  'GET /directory/export': { roles: ADMIN },
  'GET /directory/export/{file}': { roles: ADMIN },

  'POST /cases': { roles: LINE_ROLES },
  'GET /cases': { roles: LINE_ROLES },
  'GET /cases/{caseId}': { roles: LINE_ROLES },
  'GET /cases/{caseId}/history': { roles: LINE_ROLES },
  'POST /cases/{caseId}/follow-up-contacts': { roles: LINE_ROLES },
  'POST /cases/{caseId}/caller-feedback': { roles: LINE_ROLES },
  'POST /cases/{caseId}/callbacks': { roles: LINE_ROLES },
  'POST /cases/{caseId}/callbacks/{callbackId}/attempts': { roles: LINE_ROLES },
  'POST /cases/{caseId}/callbacks/{callbackId}/completion': { roles: LINE_ROLES },
  'POST /cases/{caseId}/request-framing': { roles: LINE_ROLES },
  'POST /cases/{caseId}/problem-reframing': { roles: LINE_ROLES },
  'POST /cases/{caseId}/goal': { roles: LINE_ROLES },
  'POST /cases/{caseId}/legal-advice': { roles: LINE_ROLES },
  'POST /cases/{caseId}/risk-flags': { roles: LINE_ROLES },
  'POST /cases/{caseId}/safety-escalations': { roles: LINE_ROLES },
  'POST /cases/{caseId}/referrals': { roles: LINE_ROLES },
  'POST /cases/{caseId}/referrals/{referralId}/handoff': { roles: LINE_ROLES },
  'POST /cases/{caseId}/referrals/{referralId}/withdrawal': { roles: LINE_ROLES },
  'POST /cases/{caseId}/assignment': { roles: LINE_ROLES },
  'POST /cases/{caseId}/supervision-notes': { roles: ['supervisor'] },
  'POST /cases/{caseId}/sessions': { roles: LINE_ROLES },
  'POST /cases/{caseId}/sessions/{sessionId}/held': { roles: LINE_ROLES },
  'POST /cases/{caseId}/sessions/{sessionId}/missed': { roles: LINE_ROLES },
  'POST /cases/{caseId}/taken-in-charge': { roles: LINE_ROLES },
  'POST /cases/{caseId}/closure': { roles: LINE_ROLES },
  'POST /cases/{caseId}/reopening': { roles: LINE_ROLES },
  'POST /cases/{caseId}/personal-data-erasure': { roles: ['supervisor', 'admin'] },
  'GET /access-log': { roles: ['supervisor', 'admin'] },

  'GET /handoffs': { roles: SERVICE_STAFF, otherService: 'no-fixture-data' },
  'GET /handoffs/{caseId}/{referralId}': { roles: SERVICE_STAFF, otherService: 404 },
  'POST /handoffs/{caseId}/{referralId}/acceptance': { roles: SERVICE_STAFF, otherService: 404 },
  'POST /handoffs/{caseId}/{referralId}/decline': { roles: SERVICE_STAFF, otherService: 404 },
  'POST /handoffs/{caseId}/{referralId}/appointment': { roles: SERVICE_STAFF, otherService: 404 },
  'POST /handoffs/{caseId}/{referralId}/appointment/attendance': { roles: SERVICE_STAFF, otherService: 404 },
  'POST /handoffs/{caseId}/{referralId}/appointment/no-show': { roles: SERVICE_STAFF, otherService: 404 },
  'POST /handoffs/{caseId}/{referralId}/taken-into-care': { roles: SERVICE_STAFF, otherService: 404 },

  'GET /queues/mine': { roles: LINE_ROLES },
  'GET /queues/unassigned': { roles: LINE_ROLES },
  'GET /queues/cases': { roles: LINE_ROLES },
  'GET /queues/callbacks': { roles: LINE_ROLES },
  'GET /referrals': { roles: LINE_ROLES },
  'GET /referrals/funnel': { roles: LINE_ROLES },
  'GET /referrals/overdue': { roles: LINE_ROLES },

  'GET /evaluation/report': { roles: ['evaluator', 'supervisor', 'admin'] },

  // The safety protocol between social services and local police (seed 002).
  'POST /safety/requests': { roles: UNIT },
  'GET /safety/requests/{requestId}': { roles: SAFETY },
  'POST /safety/requests/{requestId}/edits': { roles: UNIT },
  'POST /safety/requests/{requestId}/sending': { roles: ['unit_officer'] },
  'POST /safety/requests/{requestId}/acknowledgement': { roles: ['police_liaison'] },
  'POST /safety/requests/{requestId}/information-requests': { roles: ['police_liaison'] },
  'POST /safety/requests/{requestId}/information': { roles: UNIT },
  'POST /safety/requests/{requestId}/presence-confirmation': { roles: ['police_liaison'] },
  'POST /safety/requests/{requestId}/presence-refusal': { roles: ['police_liaison'] },
  'POST /safety/requests/{requestId}/meeting-outcome': { roles: UNIT },
  'POST /safety/requests/{requestId}/cancellation': { roles: UNIT },
  'POST /safety/requests/{requestId}/personal-data-erasure': { roles: ['area_director'] },
  'POST /safety/emergencies': { roles: UNIT },
  'GET /safety/emergencies/{emergencyId}': { roles: SAFETY },
  'GET /safety/access-log': { roles: ['unit_officer', 'area_director'] },
  'POST /safety/emergencies/{emergencyId}/operations-centre-call': { roles: UNIT },
  'POST /safety/emergencies/{emergencyId}/patrol-dispatch': { roles: ['police_operations'] },
  'POST /safety/emergencies/{emergencyId}/other-forces-alerts': { roles: ['police_operations'] },
  'POST /safety/emergencies/{emergencyId}/patrol-arrival': { roles: ['police_operations'] },
  'POST /safety/emergencies/{emergencyId}/patrol-report': { roles: ['police_liaison'] },
  'POST /safety/emergencies/{emergencyId}/closure': { roles: ['social_worker', 'unit_officer', 'police_liaison'] },
  'POST /safety/emergencies/{emergencyId}/personal-data-erasure': { roles: ['area_director'] },
  'GET /safety/register': { roles: ['social_worker', 'unit_officer', 'area_director'] },
  'GET /safety/register.csv': { roles: ['social_worker', 'unit_officer', 'area_director'] },
  'GET /safety/monitoring': { roles: ['area_director'] },
  'GET /safety/monitoring/export': { roles: ['area_director', 'evaluator'] },
  'GET /safety/liaison/worklist': { roles: ['police_liaison'] },
};

/** Valid bodies where an empty one would be refused before the route looks at the case (all others get {}). */
const BODIES: Readonly<Record<string, object>> = {
  'POST /handoffs/{caseId}/{referralId}/decline': { reason: 'no_capacity' },
  'POST /handoffs/{caseId}/{referralId}/appointment': { appointmentAt: '2026-12-01T09:00:00+01:00' },
};

const SERVICE = 'esempio-serd-centro';
interface CallerToken {
  sub: string;
  role: Role;
  lines?: string[];
  serviceId?: string;
  unitId?: string;
}
const CALLERS: Readonly<Record<Exclude<Caller, 'anonymous'>, CallerToken>> = {
  operator: { sub: 'authz-operator', role: 'operator', lines: ['sostienimi'] },
  supervisor: { sub: 'authz-supervisor', role: 'supervisor', lines: ['sostienimi'] },
  service_staff: { sub: 'authz-staff', role: 'service_staff', serviceId: SERVICE },
  evaluator: { sub: 'authz-evaluator', role: 'evaluator' },
  admin: { sub: 'authz-admin', role: 'admin' },
  social_worker: { sub: 'authz-social-worker', role: 'social_worker', unitId: 'unit-municipio-4' },
  unit_officer: { sub: 'authz-unit-officer', role: 'unit_officer', unitId: 'unit-municipio-4' },
  police_liaison: { sub: 'authz-police-liaison', role: 'police_liaison' },
  police_operations: { sub: 'authz-police-operations', role: 'police_operations' },
  area_director: { sub: 'authz-area-director', role: 'area_director' },
  // Checked before service_staff, whose empty-bodied requests may move the fixture's referral on.
  other_service_staff: { sub: 'authz-other-staff', role: 'service_staff', serviceId: 'esempio-serd-nord' },
};
/** Every role there is (a new one fails here until it has a caller above), then the staff of another service. */
const ORDER: readonly Caller[] = [
  'anonymous',
  'other_service_staff',
  ...ROLES.filter((role) => role !== 'service_staff'),
  'service_staff',
];

const PRIVATE_NOTE = 'AUTHZ-PRIVATE-NOTE-for-the-line-only';
const SUMMARY = 'AUTHZ-SUMMARY-shared-with-the-service';
const NUMBER_DIGITS = '3337654321';

describe('who may call which route', () => {
  let app: TestApp;
  let routes: Array<{ method: string; path: string }>;
  const fixture = { caseId: '', referralId: '', callbackId: '' };

  beforeAll(async () => {
    app = await TestApp.start();
    await DirectoryService.onDatabase(app.database).importSample('test-admin');
    for (const role of ROLES) expect(CALLERS[role]).toBeDefined();
    const operator = await bearer('operator');
    const post = (path: string, body: object) => app.http().post(path).set('Authorization', operator).send(body);
    fixture.caseId = (
      await post('/cases', {
        lineId: 'sostienimi',
        channel: 'phone',
        callerType: 'person_concerned',
        ageBand: '30_40',
        gender: 'female',
        concern: 'alcohol',
        heardOfLine: 'press',
      }).expect(201)
    ).body.caseId;
    await post(`/cases/${fixture.caseId}/request-framing`, { categories: ['listening'], note: PRIVATE_NOTE }).expect(
      200,
    );
    fixture.callbackId = (
      await post(`/cases/${fixture.caseId}/callbacks`, { number: `+39 ${NUMBER_DIGITS}` }).expect(201)
    ).body.events[0].callbackId;
    fixture.referralId = (
      await post(`/cases/${fixture.caseId}/referrals`, { serviceId: SERVICE }).expect(201)
    ).body.events[0].referralId;
    const sent = await post(`/cases/${fixture.caseId}/referrals/${fixture.referralId}/handoff`, {
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band', 'callback_number', 'summary_note'],
      summaryNote: SUMMARY,
    }).expect(200);
    // The staff of the service see the fixture in their inbox: what the other service must never see.
    const inbox = await app
      .http()
      .get('/handoffs')
      .query({ waitFor: sent.body.position })
      .set('Authorization', await bearer('service_staff'))
      .expect(200);
    expect(JSON.stringify(inbox.body)).toContain(NUMBER_DIGITS);

    const document = (await app.http().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('has an expected answer for every route of the OpenAPI document, and no stale ones', () => {
    const documented = routes.map(({ method, path }) => `${method} ${path}`);
    expect(documented.filter((route) => !(route in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('answers every route as the table says, for every caller, and never gives case data to those who may not see it', async () => {
    const failures: string[] = [];
    for (const { method, path } of routes) {
      const access = EXPECTED[`${method} ${path}`];
      if (!access) continue; // reported by the test above
      for (const caller of ORDER) {
        const response = await call(method, fillPath(path), caller, BODIES[`${method} ${path}`] ?? {});
        const expected = expectation(access, caller);
        const text = `${JSON.stringify(response.body ?? null)}${response.text ?? ''}`;
        const leaks = [
          fixture.caseId,
          fixture.referralId,
          fixture.callbackId,
          PRIVATE_NOTE,
          SUMMARY,
          NUMBER_DIGITS,
        ].filter((secret) => text.includes(secret));
        const label = `${method} ${path} as ${caller}: got ${response.status}`;
        if (expected === 'allowed') {
          if ([401, 403].includes(response.status) || response.status >= 500)
            failures.push(`${label}, expected to be let through`);
        } else {
          if (expected === 'no-fixture-data' ? response.status >= 300 : response.status !== expected)
            failures.push(`${label}, expected ${expected}`);
          if (leaks.length > 0) failures.push(`${label} and the body holds case data`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The secrets were still there to leak: the check above could have failed.
    const history = await app
      .http()
      .get(`/cases/${fixture.caseId}/history`)
      .set('Authorization', await bearer('operator'))
      .expect(200);
    expect(JSON.stringify(history.body)).toContain(PRIVATE_NOTE);
  }, 120_000);

  async function bearer(caller: Exclude<Caller, 'anonymous'>): Promise<string> {
    return `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, CALLERS[caller])}`;
  }

  function expectation(access: Access, caller: Caller): 'allowed' | 401 | 403 | 404 | 'no-fixture-data' {
    if (access.roles === 'public') return 'allowed';
    if (caller === 'anonymous') return 401;
    if (caller === 'other_service_staff') {
      if (!access.roles.includes('service_staff')) return 403;
      if (!access.otherService) throw new Error('A route service staff may call needs otherService in the table');
      return access.otherService;
    }
    return access.roles.includes(caller) ? 'allowed' : 403;
  }

  async function call(method: string, path: string, caller: Caller, body: object) {
    const agent = app.http();
    const request =
      method === 'GET'
        ? agent.get(path)
        : method === 'POST'
          ? agent.post(path)
          : method === 'PUT'
            ? agent.put(path)
            : method === 'PATCH'
              ? agent.patch(path)
              : agent.delete(path);
    if (caller !== 'anonymous') request.set('Authorization', await bearer(caller));
    return method === 'GET' ? request : request.send(body);
  }

  /** Path parameters point at the fixture case and at entries of the sample directory. */
  function fillPath(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      switch (name) {
        case 'caseId':
          return fixture.caseId;
        case 'referralId':
          return fixture.referralId;
        case 'callbackId':
          return fixture.callbackId;
        case 'sessionId':
        case 'requestId':
        case 'emergencyId':
          return randomUUID();
        case 'name':
          return 'no-such-read-model';
        case 'file':
          return 'services.csv';
        case 'id':
          if (path.startsWith('/directory/organizations')) return 'esempio-associazione-diritti';
          if (path.startsWith('/directory/locations')) return 'esempio-loc-diritti-sportello';
          if (path.startsWith('/directory/taxonomy-terms')) return 'authz-term';
          return SERVICE;
        default:
          throw new Error(`No fixture value for the path parameter {${name}} of ${path}: add one to fillPath`);
      }
    });
  }
});
