import { mintDevelopmentToken, type Role } from '@helpline/auth';
import { DirectoryService } from '@helpline/directory';
import { demoTokens } from '../../apps/api/src/platform/demo-tokens';
import { TestApp } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';

/** The conventions every client of the API relies on (docs/api.md), tried across routes. */

const operator = { sub: 'operator-7', role: 'operator' as const, lines: ['sostienimi'] };
const serviceStaff = { sub: 'staff-1', role: 'service_staff' as const, serviceId: 'esempio-serd-centro' };

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

const PROBLEM_MEMBERS = ['type', 'title', 'status', 'detail', 'instance', 'code', 'reason'];

describe('API conventions', () => {
  let app: TestApp;
  let asOperator: string;
  let asServiceStaff: string;

  beforeAll(async () => {
    app = await TestApp.start();
    await DirectoryService.onDatabase(app.database).importSample('test-admin');
    asOperator = await app.bearer(operator);
    asServiceStaff = await app.bearer(serviceStaff);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const post = (path: string, body: object, auth = asOperator) =>
    app.http().post(path).set('Authorization', auth).send(body);
  const get = (path: string, auth = asOperator) => app.http().get(path).set('Authorization', auth);
  const openCase = async () => (await post('/cases', firstContact).expect(201)).body.caseId as string;

  describe('error bodies are RFC 9457 problem details with the stable code', () => {
    it('answers 400, 401, 403, 404 and 409 in the same shape, as application/problem+json', async () => {
      const caseId = await openCase();
      const answers = [
        await post('/cases', { ...firstContact, channel: 'carrier_pigeon' }).expect(400),
        await app.http().get('/queues/mine').expect(401),
        await get('/queues/mine', 'Bearer not-a-token').expect(401),
        await get('/queues/mine', asServiceStaff).expect(403),
        await get('/cases/5a0c1d2b-7f3a-4a8e-b1c2-d3e4f5a6b7c8').expect(404),
        await post(`/cases/${caseId}/goal`, { goalKind: 'manage_emotions', expectedVersion: 7 }).expect(409),
      ];
      for (const answer of answers) {
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        for (const member of PROBLEM_MEMBERS) expect(answer.body).toHaveProperty(member);
        expect(answer.body.status).toBe(answer.status);
        expect(answer.body.statusCode).toBe(answer.status);
        expect(answer.body.detail).toBe(answer.body.reason);
        expect(answer.body.type).toBe(`/problems/${answer.body.code.toLowerCase().replace(/_/g, '-')}`);
      }
      expect(answers[0]!.body).toMatchObject({ code: 'VALIDATION_FAILED', title: 'Bad Request' });
      expect(answers[0]!.body.errors).toEqual([expect.objectContaining({ field: 'channel' })]);
      expect(answers[3]!.body).toMatchObject({ code: 'FORBIDDEN_ROLE', title: 'Forbidden' });
    });

    it('names the occurrence by its request id, never by the path or the query', async () => {
      const answer = await get('/cases/not-a-case-id?callerNumber=%2B393331234567').expect(400);
      expect(answer.body.instance).toMatch(/^urn:helpline:request:[0-9a-f-]{36}$/);
      const traced = await get('/cases/not-a-case-id').set('X-Request-Id', 'trace-0001').expect(400);
      expect(traced.body.instance).toBe('urn:helpline:request:trace-0001');
      expect(JSON.stringify(answer.body)).not.toContain('3331234567');
    });
  });

  it('names the field the client sent when an instant has no offset', async () => {
    const caseId = await openCase();
    const opening = await post('/cases', { ...firstContact, occurredAt: '2026-11-24T10:15:00' }).expect(400);
    expect(opening.body.errors).toEqual([expect.objectContaining({ field: 'occurredAt' })]);
    const framing = await post(`/cases/${caseId}/request-framing`, {
      categories: ['listening'],
      occurredAt: '2026-11-24T10:20:00',
    }).expect(400);
    expect(framing.body.errors).toEqual([expect.objectContaining({ field: 'occurredAt' })]);
  });

  it('validates before it decides: a malformed request on a closed case is 400, not 409', async () => {
    const caseId = await openCase();
    await post(`/cases/${caseId}/closure`, { outcome: 'information_given' }).expect(200);
    const malformed = await post(`/cases/${caseId}/request-framing`, {
      categories: ['listening'],
      occurredAt: '2026-11-24T10:20:00',
    }).expect(400);
    expect(malformed.body.errors[0].field).toBe('occurredAt');
    const staleAndMalformed = await post(`/cases/${caseId}/goal`, { goalKind: 'no_such_goal', expectedVersion: 1 });
    expect(staleAndMalformed.status).toBe(400);
  });

  it('answers every 201 with the Location of what it created', async () => {
    const opened = await post('/cases', firstContact).expect(201);
    expect(opened.headers.location).toBe(`/cases/${opened.body.caseId}`);
    await get(opened.headers.location!).expect(200);
    const caseId = opened.body.caseId as string;
    const callback = await post(`/cases/${caseId}/callbacks`, { number: '+39 333 123 4567' }).expect(201);
    expect(callback.headers.location).toBe(`/cases/${caseId}`);
    await post(`/cases/${caseId}/request-framing`, { categories: ['information_on_services'] }).expect(200);
    await post(`/cases/${caseId}/problem-reframing`, { categories: ['relative_addiction'] }).expect(200);
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service' }).expect(200);
    const proposed = await post(`/cases/${caseId}/referrals`, { serviceId: 'esempio-serd-centro' }).expect(201);
    expect(proposed.headers.location).toBe(`/handoffs/${caseId}/${proposed.body.events[0].referralId}`);
  });

  describe('GET /referrals/funnel', () => {
    const iso = (millis: number) => new Date(millis).toISOString();
    const sentAt = Date.now() - 2 * 3_600_000;

    beforeAll(async () => {
      const staff = await app.bearer({ sub: 'staff-smi', role: 'service_staff', serviceId: 'esempio-smi-lambrate' });
      const caseId = (await post('/cases', { ...firstContact, occurredAt: iso(sentAt - 3_600_000) }).expect(201)).body
        .caseId;
      const proposed = await post(`/cases/${caseId}/referrals`, {
        serviceId: 'esempio-smi-lambrate',
        occurredAt: iso(sentAt - 60_000),
      }).expect(201);
      const referralId = proposed.body.events[0].referralId;
      await post(`/cases/${caseId}/referrals/${referralId}/handoff`, {
        consent: { given: true, method: 'verbal' },
        sharedFields: ['age_band'],
        occurredAt: iso(sentAt),
      }).expect(200);
      // Accepted 1 h 20 min 10 s after it was sent: 1.336… hours.
      const accepted = await post(
        `/handoffs/${caseId}/${referralId}/acceptance`,
        { occurredAt: iso(sentAt + 4_810_000) },
        staff,
      ).expect(200);
      await get(`/referrals?serviceId=esempio-smi-lambrate&waitFor=${accepted.body.position}`).expect(200);
    });

    it('covers the last 12 months when from and to are not given, with medians to one decimal', async () => {
      const funnel = await get('/referrals/funnel?serviceId=esempio-smi-lambrate').expect(200);
      expect(funnel.body).toEqual([
        expect.objectContaining({
          serviceId: 'esempio-smi-lambrate',
          counts: expect.objectContaining({ sent: 1, accepted: 1 }),
          medianHoursSentToAccepted: 1.3,
        }),
      ]);
    });

    it('accepts dates and instants alike, and names a bound it cannot read', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const lastYear = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
      const byDates = await get(`/referrals/funnel?serviceId=esempio-smi-lambrate&from=${lastYear}&to=${today}`);
      expect(byDates.status).toBe(200);
      expect(byDates.body[0].counts.sent).toBe(1);
      const byInstant = await get(
        `/referrals/funnel?serviceId=esempio-smi-lambrate&from=${encodeURIComponent(iso(sentAt - 86_400_000))}`,
      ).expect(200);
      expect(byInstant.body[0].counts.sent).toBe(1);
      const before = await get(`/referrals/funnel?serviceId=esempio-smi-lambrate&to=${lastYear}`).expect(200);
      expect(before.body).toEqual([]);
      const unreadable = await get('/referrals/funnel?from=yesterday').expect(400);
      expect(unreadable.body.errors[0].field).toBe('from');
      const noOffset = await get('/referrals/funnel?from=2026-01-01T00:00:00').expect(400);
      expect(noOffset.body.errors[0].field).toBe('from');
    });
  });

  it('writes every instant it returns in one format: UTC with milliseconds and Z, on every route', async () => {
    const worker = `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, { sub: 'sw-ada', role: 'social_worker', unitId: 'unit-municipio-4' })}`;
    const opened = await post('/cases', firstContact).expect(201);
    const caseId = opened.body.caseId as string;
    await post(`/cases/${caseId}/request-framing`, {
      categories: ['information_on_services'],
      occurredAt: '2026-11-24T10:20:00+01:00',
    }).expect(200);
    await post(`/cases/${caseId}/problem-reframing`, { categories: ['relative_addiction'] }).expect(200);
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service' }).expect(200);
    const proposed = await post(`/cases/${caseId}/referrals`, { serviceId: 'esempio-serd-centro' }).expect(201);
    const referralId = proposed.body.events[0].referralId as string;
    const sent = await post(`/cases/${caseId}/referrals/${referralId}/handoff`, {
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band'],
      occurredAt: '2026-11-24T10:40:00+01:00',
    }).expect(200);
    const drafted = await post(
      '/safety/requests',
      {
        meetingAt: '2026-12-20T10:00:00+01:00',
        address: 'Via Esempio 1',
        serviceUser: 'A. Person',
        factsSummary: 'Threats at the last meeting',
        risk: 'high',
        occurredAt: '2026-12-01T09:00:00+01:00',
      },
      worker,
    ).expect(201);
    const bodies = [
      (await get(`/cases/${caseId}`).expect(200)).body,
      (await get(`/cases/${caseId}/history`).expect(200)).body,
      (await get(`/handoffs/${caseId}/${referralId}`, asServiceStaff).expect(200)).body,
      (await get(`/referrals?serviceId=esempio-serd-centro&waitFor=${sent.body.position}`).expect(200)).body,
      (await get(`/queues/cases?waitFor=${sent.body.position}`).expect(200)).body,
      (await get(`/safety/requests/${drafted.body.requestId}`, worker).expect(200)).body,
    ];
    const instants = bodies.map((body) => instantsIn(body));
    for (const found of instants) {
      expect(found.length).toBeGreaterThan(0);
      for (const instant of found) expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    // The operator's +01:00 comes back as the same instant in UTC.
    expect(instants[0]).toContain('2026-11-24T09:15:00.000Z');
    expect(instants[2]).toContain('2026-11-24T09:40:00.000Z');
    expect(instants[5]).toContain('2026-12-20T09:00:00.000Z');
  });

  it("shows each queue item's channel, concern and whether the contact came out of hours", async () => {
    // Sunday 29 November 2026, 03:10 in Milan: a voicemail left with the line closed.
    const voicemail = await post('/cases', {
      ...firstContact,
      channel: 'voicemail',
      concern: 'alcohol',
      occurredAt: '2026-11-29T03:10:00+01:00',
    }).expect(201);
    const daytime = await post('/cases', { ...firstContact, occurredAt: '2026-11-25T10:15:00+01:00' }).expect(201);
    const queue = await get(`/queues/cases?limit=200&waitFor=${daytime.body.position}`).expect(200);
    const itemOf = (caseId: string) => queue.body.items.find((item: { caseId: string }) => item.caseId === caseId);
    expect(itemOf(voicemail.body.caseId)).toMatchObject({ channel: 'voicemail', concern: 'alcohol', outOfHours: true });
    expect(itemOf(daytime.body.caseId)).toMatchObject({ channel: 'phone', concern: 'cocaine', outOfHours: false });
  });

  describe('the safety protocol', () => {
    const tokenOf = async (sub: string, role: Role, unitId?: string) =>
      `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, { sub, role, unitId })}`;
    const at = (millis: number) => new Date(millis).toISOString();
    const draftAndSend = async (worker: string, officer: string, meetingInDays: number) => {
      const drafted = await post(
        '/safety/requests',
        {
          meetingAt: at(Date.now() + meetingInDays * 86_400_000),
          address: 'Via Esempio 1',
          serviceUser: 'A. Person',
          factsSummary: 'Threats at the last meeting',
          risk: 'high',
          occurredAt: at(Date.now() - 3_600_000),
        },
        worker,
      ).expect(201);
      const sent = await post(`/safety/requests/${drafted.body.requestId}/sending`, {}, officer).expect(200);
      return { requestId: drafted.body.requestId as string, position: sent.body.position as string };
    };

    it('lists what the police liaison has to answer, oldest sending first, and the register reads after a write with waitFor', async () => {
      const worker = await tokenOf('sw-ada', 'social_worker', 'unit-municipio-4');
      const officer = await tokenOf('po-bruno', 'unit_officer', 'unit-municipio-4');
      const liaison = await tokenOf('pl-elena', 'police_liaison');
      const director = await tokenOf('dir-giulia', 'area_director');
      const first = await draftAndSend(worker, officer, 10);
      const second = await draftAndSend(worker, officer, 5);
      const answered = await draftAndSend(worker, officer, 7);
      const confirmed = await post(
        `/safety/requests/${answered.requestId}/presence-confirmation`,
        { officers: 2, presentFrom: at(Date.now() + 7 * 86_400_000 - 900_000), occurredAt: at(Date.now() - 60_000) },
        liaison,
      );
      expect(confirmed.status).toBe(200);
      const worklist = await get(`/safety/liaison/worklist?waitFor=${confirmed.body.position}`, liaison).expect(200);
      expect(worklist.body.caughtUp).toBe(true);
      const ids = worklist.body.items.map((item: { id: string }) => item.id);
      expect(ids).toEqual([first.requestId, second.requestId]);
      expect(worklist.body.items[0]).toMatchObject({ kind: 'request', status: 'sent', answer: null });
      expect(JSON.stringify(worklist.body)).not.toContain('Via Esempio');
      await get('/safety/liaison/worklist', worker).expect(403);

      const register = await get(`/safety/register?limit=200&waitFor=${second.position}`, director).expect(200);
      expect(register.body.caughtUp).toBe(true);
      expect(register.body.items.map((item: { id: string }) => item.id)).toContain(second.requestId);
      await get('/safety/register?waitFor=soon', director)
        .expect(400)
        .expect(({ body }) => expect(body.errors[0].field).toBe('waitFor'));
    });

    it('gives the monitoring figures as CSV as well as JSON', async () => {
      const director = await tokenOf('dir-giulia', 'area_director');
      const month = new Date().toISOString().slice(0, 7);
      const json = await get(`/safety/monitoring?from=${month}&to=${month}`, director).expect(200);
      expect(json.headers['content-type']).toMatch(/application\/json/);
      const byQuery = await get(`/safety/monitoring?from=${month}&to=${month}&format=csv`, director).expect(200);
      const byAccept = await get(`/safety/monitoring?from=${month}&to=${month}`, director)
        .set('Accept', 'text/csv')
        .expect(200);
      for (const csv of [byQuery, byAccept]) {
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        const lines = csv.text.trim().split('\r\n');
        expect(lines[0]!.split(',').slice(0, 3)).toEqual(['month', 'unitId', 'requestsSent']);
        expect(lines[0]).toContain('emergencies.threat');
        expect(lines).toHaveLength(json.body.length + 1);
        for (const [index, row] of json.body.entries()) {
          expect(lines[index + 1]!.startsWith(`${row.month},${row.unitId},${row.requestsSent},`)).toBe(true);
        }
      }
      await get(`/safety/monitoring?from=${month}&to=${month}&format=xml`, director).expect(400);
    });

    it('prints demo tokens for every safety role at start-up, each accepted in its role', async () => {
      const tokens = await demoTokens(app.settings);
      const roles = tokens.map((token) => token.role);
      for (const role of ['social_worker', 'unit_officer', 'police_liaison', 'police_operations', 'area_director'])
        expect(roles).toContain(role);
      for (const { role, token } of tokens) {
        const me = await get('/me', `Bearer ${token}`).expect(200);
        expect(me.body.role).toBe(role);
      }
    });
  });

  describe('finding a case, as an operator', () => {
    it('finds a case by its reference, shown on the case, within the lines of the reader', async () => {
      const opened = await post('/cases', firstContact).expect(201);
      const caseId = opened.body.caseId as string;
      const view = await get(`/cases/${caseId}`).expect(200);
      const reference = view.body.reference as string;
      expect(reference).toBe(`${caseId.slice(0, 4)}-${caseId.slice(4, 8)}`.toUpperCase());
      const byReference = await get(`/cases?reference=${reference.toLowerCase()}&waitFor=${opened.body.position}`);
      expect(byReference.status).toBe(200);
      expect(byReference.body.items).toEqual([
        expect.objectContaining({ caseId, reference, lineId: 'sostienimi', closed: false }),
      ]);
      const otherLine = await app.bearer({ sub: 'operator-9', role: 'operator', lines: ['psych-emergency'] });
      expect((await get(`/cases?reference=${reference}`, otherLine).expect(200)).body.items).toEqual([]);
      await get('/cases').expect(400);
      await get('/cases?reference=not-a-ref').expect(400);
    });

    it("finds a returning caller's cases by the number, through its pseudonym, never echoing it", async () => {
      const first = await openCase();
      const second = await openCase();
      await post(`/cases/${first}/callbacks`, { number: '+39 333 765 4321' }).expect(201);
      const later = await post(`/cases/${second}/callbacks`, { number: '3337654321' }).expect(201);
      const found = await get(
        `/cases?callerNumber=${encodeURIComponent('0039 333-765-4321')}&waitFor=${later.body.position}`,
      ).expect(200);
      expect(found.body.items.map((item: { caseId: string }) => item.caseId).sort()).toEqual([first, second].sort());
      expect(JSON.stringify(found.body)).not.toContain('7654321');
      const nobody = await get(`/cases?callerNumber=${encodeURIComponent('+39 333 000 1111')}`).expect(200);
      expect(nobody.body.items).toEqual([]);
      const malformed = await get('/cases?callerNumber=call-me-maybe').expect(400);
      expect(malformed.body.errors[0].field).toBe('callerNumber');
      expect(JSON.stringify(malformed.body)).not.toContain('call-me-maybe');
    });
  });

  it('says in words what a refusal is about: where the referral stands and what the command needs', async () => {
    const caseId = await openCase();
    await post(`/cases/${caseId}/request-framing`, { categories: ['information_on_services'] }).expect(200);
    await post(`/cases/${caseId}/problem-reframing`, { categories: ['relative_addiction'] }).expect(200);
    await post(`/cases/${caseId}/goal`, { goalKind: 'contact_a_service' }).expect(200);
    const proposed = await post(`/cases/${caseId}/referrals`, { serviceId: 'esempio-serd-centro' }).expect(201);
    const referralId = proposed.body.events[0].referralId as string;
    await post(`/cases/${caseId}/referrals/${referralId}/handoff`, {
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band'],
    }).expect(200);
    await post(`/cases/${caseId}/referrals/${referralId}/withdrawal`, { reason: 'caller_changed_mind' }).expect(200);
    const refused = await post(`/handoffs/${caseId}/${referralId}/acceptance`, {}, asServiceStaff);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('REFERRAL_NOT_SENT');
    expect(refused.body.detail).toBe(
      'This referral was withdrawn; this can be done only once it has been sent and waits for the service’s answer',
    );
  });
});

/** Every string in a JSON value that starts like a date and a time. */
function instantsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(instantsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(instantsIn);
  return [];
}
