import { randomUUID } from 'node:crypto';
import { mintDevelopmentToken, type Role } from '@helpline/auth';
import { monthOf, SafetyMailOutboxRepository, type SafetyMailOutboxEntry } from '@helpline/safety';
import { TestApp } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';
import { TestSmtpServer, type ReceivedMail } from '../support/test-smtp-server';

/**
 * The safety protocol between the social services and the local police (seed 002) over HTTP: the preventive path
 * and the emergency path walked by the roles that take each step, the e-mails to the police command and the area
 * director delivered to a real SMTP server (and delivered exactly once through an outage of that server), the
 * register and the monthly monitoring, and every safety route tried by every role.
 */

// Each test walks a whole path over HTTP: well beyond jest's default 5 s on a busy machine.
jest.setTimeout(120_000);

const UNIT = 'unit-municipio-4';
const OTHER_UNIT = 'unit-municipio-8';
const POLICE_COMMAND = 'pl.gabinettocomando@comune.test';
const AREA_DIRECTOR = 'direttore.territorialita@comune.test';
const BASE_URL = 'https://helpline.comune.test';

interface User {
  readonly sub: string;
  readonly role: Role;
  readonly unitId?: string;
  readonly lines?: string[];
  readonly serviceId?: string;
}

const users = {
  worker: { sub: 'sw-ada', role: 'social_worker', unitId: UNIT },
  officer: { sub: 'po-bruno', role: 'unit_officer', unitId: UNIT },
  otherWorker: { sub: 'sw-carla', role: 'social_worker', unitId: OTHER_UNIT },
  otherOfficer: { sub: 'po-dario', role: 'unit_officer', unitId: OTHER_UNIT },
  liaison: { sub: 'pl-elena', role: 'police_liaison' },
  operations: { sub: 'co-franco', role: 'police_operations' },
  director: { sub: 'dir-giulia', role: 'area_director' },
  operator: { sub: 'op-1', role: 'operator', lines: ['sostienimi'] },
  supervisor: { sub: 'sup-1', role: 'supervisor', lines: ['sostienimi'] },
  serviceStaff: { sub: 'serd-1', role: 'service_staff', serviceId: 'esempio-serd-centro' },
  evaluator: { sub: 'eval-1', role: 'evaluator' },
  admin: { sub: 'admin-1', role: 'admin' },
} satisfies Record<string, User>;
type UserName = keyof typeof users;

// Personal values planted in the records: none may ever reach an e-mail, a list, an export or another unit.
const PLANTED = {
  serviceUser: 'Giuseppina Verdelli, nata il 12/03/1961, CF VRDGPP61C52F205Q',
  address: 'Via dei Transiti 99, Milano',
  factsSummary: 'Minacce con un coltello alla collega Franceschini durante il colloquio precedente',
  question: 'Risultano precedenti denunce per porto abusivo di coltello?',
  information: 'Denunciato nel 2024 dalla vicina Ornella Bassanini',
  location: 'Cortile interno di Viale Monza 333',
  emergencyLocation: 'Sportello di Via Padova 21, stanza colloqui 3',
};
const PLANTED_VALUES = Object.values(PLANTED);
const leaksIn = (text: string) => PLANTED_VALUES.filter((value) => text.includes(value));

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (millis: number) => new Date(millis).toISOString();

describe('the safety protocol between social services and local police, over HTTP', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let outbox: SafetyMailOutboxRepository;
  const bearer = new Map<UserName, string>();

  beforeAll(async () => {
    smtp = new TestSmtpServer();
    await smtp.start();
    app = await TestApp.start({
      smtpUrl: smtp.url,
      mailFrom: 'protocollo-sicurezza@comune.test',
      publicBaseUrl: BASE_URL,
      safetyPoliceCommandEmail: POLICE_COMMAND,
      safetyAreaDirectorEmail: AREA_DIRECTOR,
      safetyMailDispatch: { intervalMs: 50, baseBackoffMs: 100, maxBackoffMs: 400, leaseMs: 60_000 },
    });
    outbox = new SafetyMailOutboxRepository(app.database);
    for (const [name, user] of Object.entries(users) as Array<[UserName, User]>) {
      bearer.set(
        name,
        `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, { sub: user.sub, role: user.role, unitId: user.unitId, lines: user.lines, serviceId: user.serviceId })}`,
      );
    }
  });
  afterAll(async () => {
    await app?.stop();
    await smtp?.stop();
  });

  const post = (as: UserName, path: string, body: object = {}) =>
    app.http().post(path).set('Authorization', bearer.get(as)!).send(body);
  const get = (as: UserName, path: string) => app.http().get(path).set('Authorization', bearer.get(as)!);

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const mailsAbout = (requestId: string) => smtp.received.filter((mail) => mail.decoded.includes(`SR-${requestId}`));

  /** A request drafted `draftedAgoHours` ago for a meeting `meetingInHours` from now (negative: already held). */
  async function draft(options: { draftedAgoHours?: number; meetingInHours: number; as?: UserName }) {
    const now = Date.now();
    const response = await post(options.as ?? 'worker', '/safety/requests', {
      meetingAt: at(now + options.meetingInHours * HOUR),
      address: PLANTED.address,
      serviceUser: PLANTED.serviceUser,
      factsSummary: PLANTED.factsSummary,
      risk: 'high',
      occurredAt: at(now - (options.draftedAgoHours ?? 100) * HOUR),
    }).expect(201);
    return { requestId: response.body.requestId as string, meetingAt: now + options.meetingInHours * HOUR };
  }

  it('walks the preventive path: drafted by the unit, sent by its officer, answered by the police, an incident opening its emergency', async () => {
    const now = Date.now();
    const { requestId, meetingAt } = await draft({ draftedAgoHours: 100, meetingInHours: -24 });

    // Drafting is the unit's own work: the police and the director do not see it yet, another unit never does.
    await get('liaison', `/safety/requests/${requestId}`).expect(404);
    await get('director', `/safety/requests/${requestId}`).expect(404);
    await get('otherWorker', `/safety/requests/${requestId}`).expect(404);
    await post('worker', `/safety/requests/${requestId}/edits`, {
      risk: 'moderate',
      occurredAt: at(now - 99 * HOUR),
    }).expect(200);

    // Only the unit officer sends (the Funzionario P.O.); the required notice (48 h) is given: not late.
    const refused = await post('worker', `/safety/requests/${requestId}/sending`, {
      occurredAt: at(now - 75 * HOUR),
    }).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN_ROLE');
    const sent = await post('officer', `/safety/requests/${requestId}/sending`, {
      occurredAt: at(now - 75 * HOUR),
    }).expect(200);
    expect(sent.body).toMatchObject({
      requestId,
      version: 3,
      events: [{ type: 'SafetyRequestSent', version: 3 }],
      replayed: false,
    });
    expect(sent.headers.etag).toBe('"3"');

    // The police command and the area director are told by e-mail: a reference and a link, nothing personal.
    const mails = await waitFor('the two e-mails of the sent request', async () =>
      mailsAbout(requestId).length >= 2 ? mailsAbout(requestId) : undefined,
    );
    expect(mails.map((mail) => mail.to).sort()).toEqual([[AREA_DIRECTOR], [POLICE_COMMAND]]);
    for (const mail of mails) {
      expect(mail.from).toBe('protocollo-sicurezza@comune.test');
      expect(mail.decoded).toContain(`${BASE_URL}/safety/requests/${requestId}`);
      expect(mail.decoded).toContain(UNIT);
      expect(leaksIn(mail.raw)).toEqual([]);
      expect(leaksIn(mail.decoded)).toEqual([]);
    }

    // Who reads what: the unit, the liaison and the director see the personal values; the operations centre does not.
    for (const reader of ['worker', 'officer', 'liaison', 'director'] as const) {
      const view = await get(reader, `/safety/requests/${requestId}`).expect(200);
      expect(view.body.personalData).toMatchObject({
        serviceUser: { value: PLANTED.serviceUser, erased: false },
        address: { value: PLANTED.address },
        factsSummary: { value: PLANTED.factsSummary },
      });
      expect(view.body).toMatchObject({ status: 'sent', unitId: UNIT, risk: 'moderate', late: false });
    }
    const operationsView = await get('operations', `/safety/requests/${requestId}`).expect(200);
    expect(operationsView.body.personalData).toBeUndefined();
    expect(leaksIn(JSON.stringify(operationsView.body))).toEqual([]);
    for (const other of ['otherWorker', 'otherOfficer'] as const) {
      const response = await get(other, `/safety/requests/${requestId}`).expect(404);
      expect(response.body.code).toBe('SAFETY_REQUEST_NOT_FOUND');
    }

    // The police answer: acknowledged, a question and the unit's answer, presence confirmed (once).
    await post('liaison', `/safety/requests/${requestId}/acknowledgement`, { occurredAt: at(now - 70 * HOUR) }).expect(
      200,
    );
    await post('liaison', `/safety/requests/${requestId}/information-requests`, {
      question: PLANTED.question,
      occurredAt: at(now - 69 * HOUR),
    }).expect(200);
    await post('otherOfficer', `/safety/requests/${requestId}/information`, {
      information: 'not mine to give',
      occurredAt: at(now - 68 * HOUR),
    }).expect(404);
    await post('worker', `/safety/requests/${requestId}/information`, {
      information: PLANTED.information,
      occurredAt: at(now - 68 * HOUR),
    }).expect(200);
    await post('liaison', `/safety/requests/${requestId}/presence-confirmation`, {
      officers: 2,
      presentFrom: at(meetingAt - 15 * MINUTE),
      occurredAt: at(now - 60 * HOUR),
    }).expect(200);
    const twice = await post('liaison', `/safety/requests/${requestId}/presence-refusal`, {
      reason: 'no_officers_available',
    }).expect(409);
    expect(twice.body.code).toBe('REQUEST_ALREADY_ANSWERED');
    const exchanges = (await get('liaison', `/safety/requests/${requestId}`).expect(200)).body.personalData.exchanges;
    expect(exchanges.map((e: { kind: string; text: { value: string } }) => [e.kind, e.text.value])).toEqual([
      ['question', PLANTED.question],
      ['information', PLANTED.information],
    ]);

    // The meeting had an incident: the outcome and the emergency record are written together.
    const outcomeBody = {
      outcome: 'incident',
      incidentKind: 'physical_aggression',
      startedAt: at(meetingAt + 20 * MINUTE),
      colleaguesCalled: true,
      colleaguesCount: 2,
      operationsCentreCalledAt: at(meetingAt + 22 * MINUTE),
      location: PLANTED.location,
      occurredAt: at(meetingAt + 2 * HOUR),
    };
    const outcome = await post('worker', `/safety/requests/${requestId}/meeting-outcome`, outcomeBody).expect(200);
    expect(outcome.body.events).toEqual([{ type: 'IncidentAtMeetingReported', version: 8 }]);
    const emergencyId: string = outcome.body.emergency.emergencyId;
    expect(outcome.body.emergency.events.map((e: { type: string }) => e.type)).toEqual([
      'EmergencyOpenedFromIncident',
      'OperationsCentreCalled',
    ]);
    // A retry of the same request (a lost answer) is answered from the first one, without a second emergency.
    const retried = await post('worker', `/safety/requests/${requestId}/meeting-outcome`, outcomeBody).expect(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body.emergency.emergencyId).toBe(emergencyId);
    const other = await post('worker', `/safety/requests/${requestId}/meeting-outcome`, {
      outcome: 'no_incident',
    }).expect(409);
    expect(other.body.code).toBe('OUTCOME_ALREADY_RECORDED');

    const request = (await get('officer', `/safety/requests/${requestId}`).expect(200)).body;
    expect(request).toMatchObject({
      status: 'concluded',
      outcome: 'incident',
      incidentKind: 'physical_aggression',
      emergencyId,
      answer: { kind: 'confirmed', officers: 2 },
    });

    // The emergency path from there: the operations centre sends the patrol, it arrives, the liaison files the report.
    await post('operations', `/safety/emergencies/${emergencyId}/patrol-dispatch`, {
      occurredAt: at(meetingAt + 25 * MINUTE),
    }).expect(200);
    await post('operations', `/safety/emergencies/${emergencyId}/patrol-arrival`, {
      occurredAt: at(meetingAt + 37 * MINUTE),
    }).expect(200);
    await post('liaison', `/safety/emergencies/${emergencyId}/patrol-report`, {
      sharedWithDirectorate: ['report_summary', 'follow_up_actions'],
      occurredAt: at(meetingAt + 3 * HOUR),
    }).expect(200);
    await post('worker', `/safety/emergencies/${emergencyId}/closure`, { occurredAt: at(meetingAt + 4 * HOUR) }).expect(
      200,
    );
    const emergency = (await get('operations', `/safety/emergencies/${emergencyId}`).expect(200)).body;
    expect(emergency).toMatchObject({
      status: 'closed',
      requestId,
      unitId: UNIT,
      kind: 'physical_aggression',
      sharedWithDirectorate: ['report_summary', 'follow_up_actions'],
      timeline: { minutesFromCallToDispatch: 3, minutesFromDispatchToArrival: 12, minutesFromCallToArrival: 15 },
      personalData: { location: { value: PLANTED.location, erased: false }, atMeetingAddress: false },
    });
    await get('otherWorker', `/safety/emergencies/${emergencyId}`).expect(404);
  });

  it('flags a request sent with less notice than SAFETY_NOTICE_HOURS as late, and says so in the e-mail', async () => {
    const now = Date.now();
    const { requestId } = await draft({ draftedAgoHours: 30, meetingInHours: 10 });
    const sent = await post('officer', `/safety/requests/${requestId}/sending`, {
      occurredAt: at(now - 5 * MINUTE),
    }).expect(200);
    expect(sent.body.events[0].type).toBe('SafetyRequestSent');
    expect((await get('officer', `/safety/requests/${requestId}`).expect(200)).body).toMatchObject({
      late: true,
      noticeMinutes: 10 * 60 + 5,
    });
    const mails = await waitFor('the late request e-mails', async () =>
      mailsAbout(requestId).length >= 2 ? mailsAbout(requestId) : undefined,
    );
    for (const mail of mails) {
      expect(mail.subject).toMatch(/preavviso breve/);
      expect(leaksIn(mail.decoded)).toEqual([]);
    }
    // The police decline; the unit cannot cancel a request once its meeting is over, and can before.
    await post('liaison', `/safety/requests/${requestId}/presence-refusal`, { reason: 'insufficient_notice' }).expect(
      200,
    );
    await post('worker', `/safety/requests/${requestId}/cancellation`, { reason: 'meeting_cancelled' }).expect(200);
    expect((await get('director', `/safety/requests/${requestId}`).expect(200)).body).toMatchObject({
      status: 'cancelled',
      answer: { kind: 'declined', reason: 'insufficient_notice' },
    });
  });

  it('walks the emergency path: recorded by the unit, the call, the patrol sent and arrived, other forces, the report, the timeline from event times', async () => {
    const now = Date.now();
    const recorded = await post('worker', '/safety/emergencies', {
      kind: 'threat',
      startedAt: at(now - 50 * MINUTE),
      colleaguesCalled: true,
      location: PLANTED.emergencyLocation,
      occurredAt: at(now - 48 * MINUTE),
    }).expect(201);
    const emergencyId: string = recorded.body.emergencyId;
    expect(recorded.body.events).toEqual([{ type: 'EmergencyRecorded', version: 1 }]);
    const early = await post('operations', `/safety/emergencies/${emergencyId}/patrol-arrival`, {
      occurredAt: at(now - 46 * MINUTE),
    }).expect(409);
    expect(early.body.code).toBe('ARRIVAL_BEFORE_DISPATCH');
    await post('worker', `/safety/emergencies/${emergencyId}/operations-centre-call`, {
      occurredAt: at(now - 47 * MINUTE),
    }).expect(200);
    await post('worker', `/safety/emergencies/${emergencyId}/patrol-dispatch`, {
      occurredAt: at(now - 44 * MINUTE),
    }).expect(403);
    await post('operations', `/safety/emergencies/${emergencyId}/patrol-dispatch`, {
      occurredAt: at(now - 44 * MINUTE),
    }).expect(200);
    await post('operations', `/safety/emergencies/${emergencyId}/other-forces-alerts`, {
      forces: ['carabinieri', 'ambulance_118'],
      occurredAt: at(now - 43 * MINUTE),
    }).expect(200);
    await post('operations', `/safety/emergencies/${emergencyId}/patrol-arrival`, {
      occurredAt: at(now - 33 * MINUTE),
    }).expect(200);
    await post('liaison', `/safety/emergencies/${emergencyId}/patrol-report`, {
      sharedWithDirectorate: ['none'],
      occurredAt: at(now - 10 * MINUTE),
    }).expect(200);
    const stale = await post('liaison', `/safety/emergencies/${emergencyId}/closure`, {
      occurredAt: at(now - 5 * MINUTE),
    })
      .set('If-Match', '"3"')
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: 6 });
    await post('liaison', `/safety/emergencies/${emergencyId}/closure`, { occurredAt: at(now - 5 * MINUTE) })
      .set('If-Match', '"6"')
      .expect(200);

    const view = (await get('director', `/safety/emergencies/${emergencyId}`).expect(200)).body;
    expect(view).toMatchObject({
      status: 'closed',
      requestId: null,
      forcesAlerted: ['carabinieri', 'ambulance_118'],
      timeline: { minutesFromCallToDispatch: 3, minutesFromDispatchToArrival: 11, minutesFromCallToArrival: 14 },
      personalData: { location: { value: PLANTED.emergencyLocation } },
    });
    expect(view.history.map((h: { type: string }) => h.type)).toEqual([
      'EmergencyRecorded',
      'OperationsCentreCalled',
      'PatrolDispatched',
      'OtherForcesAlerted',
      'PatrolArrived',
      'PatrolReportFiled',
      'EmergencyClosed',
    ]);
    for (const other of ['otherWorker', 'otherOfficer'] as const) {
      const response = await get(other, `/safety/emergencies/${emergencyId}`).expect(404);
      expect(leaksIn(JSON.stringify(response.body))).toEqual([]);
    }
  });

  it('answers a retried draft with the same Idempotency-Key from the first answer', async () => {
    const body = {
      meetingAt: at(Date.now() + 72 * HOUR),
      address: PLANTED.address,
      serviceUser: PLANTED.serviceUser,
      factsSummary: PLANTED.factsSummary,
      risk: 'low',
    };
    const first = await post('worker', '/safety/requests', body)
      .set('Idempotency-Key', 'safety-draft-retry-0001')
      .expect(201);
    const again = await post('worker', '/safety/requests', body)
      .set('Idempotency-Key', 'safety-draft-retry-0001')
      .expect(201);
    expect(again.body.requestId).toBe(first.body.requestId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await post('worker', '/safety/requests', { ...body, risk: 'high' })
      .set('Idempotency-Key', 'safety-draft-retry-0001')
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it("logs every read of a record's details, for the area director and the unit's officer, never another unit", async () => {
    const mine = await draft({ meetingInHours: 100, draftedAgoHours: 1 });
    const theirs = await draft({ meetingInHours: 100, draftedAgoHours: 1, as: 'otherWorker' });
    await get('worker', `/safety/requests/${mine.requestId}`).expect(200);
    await get('officer', `/safety/requests/${mine.requestId}`).expect(200);
    await get('otherWorker', `/safety/requests/${theirs.requestId}`).expect(200);
    // Refused reads are not reads.
    await get('otherWorker', `/safety/requests/${mine.requestId}`).expect(404);

    const readers = (entries: Array<{ recordId: string; actorId: string; actorRole: string; recordKind: string }>) =>
      entries.map(({ recordId, actorId, actorRole, recordKind }) => ({ recordId, actorId, actorRole, recordKind }));
    const all = (await get('director', `/safety/access-log?recordId=${mine.requestId}`).expect(200)).body;
    expect(readers(all.entries)).toEqual([
      { recordId: mine.requestId, actorId: 'po-bruno', actorRole: 'unit_officer', recordKind: 'request' },
      { recordId: mine.requestId, actorId: 'sw-ada', actorRole: 'social_worker', recordKind: 'request' },
    ]);
    expect(JSON.stringify(all)).not.toContain(PLANTED.serviceUser);
    const unit = (await get('officer', '/safety/access-log?limit=500').expect(200)).body;
    expect(unit.entries.every((entry: { unitId: string }) => entry.unitId === UNIT)).toBe(true);
    expect(unit.entries.map((entry: { recordId: string }) => entry.recordId)).not.toContain(theirs.requestId);
    await get('worker', '/safety/access-log').expect(403);
    await get('liaison', '/safety/access-log').expect(403);
  });

  it('keeps the register per unit for its staff and whole for the director, as JSON and CSV, with nothing personal in it', async () => {
    const mine = await draft({ meetingInHours: 100, draftedAgoHours: 1 });
    const theirs = await draft({ meetingInHours: 100, draftedAgoHours: 1, as: 'otherWorker' });
    const sent = await post('otherOfficer', `/safety/requests/${theirs.requestId}/sending`).expect(200);

    const register = await waitFor('the register to include both drafts', async () => {
      const page = (await get('officer', '/safety/register?limit=200').expect(200)).body;
      return page.items.some((item: { id: string }) => item.id === mine.requestId) ? page : undefined;
    });
    expect(register.items.every((item: { unitId: string }) => item.unitId === UNIT)).toBe(true);
    expect(register.items.find((item: { id: string }) => item.id === mine.requestId)).toMatchObject({
      kind: 'request',
      status: 'draft',
      risk: 'high',
    });
    expect(
      register.items.some(
        (item: { kind: string; linkedId: string | null }) => item.kind === 'emergency' && item.linkedId !== null,
      ),
    ).toBe(true);
    expect(leaksIn(JSON.stringify(register))).toEqual([]);
    const refused = await get('worker', `/safety/register?unitId=${OTHER_UNIT}`).expect(403);
    expect(refused.body.code).toBe('OTHER_UNIT');

    const theirRegister = await waitFor('the other unit register', async () => {
      const page = (await get('otherWorker', '/safety/register').expect(200)).body;
      return page.items.some((item: { id: string }) => item.id === theirs.requestId) ? page : undefined;
    });
    expect(theirRegister.items.map((item: { unitId: string }) => item.unitId)).toEqual(
      theirRegister.items.map(() => OTHER_UNIT),
    );

    // The director: every unit, requests once sent (the unit's drafts are its own).
    // Read after the sending is projected (the race this test once lost on the server): waitFor, as for the queues.
    const all = (await get('director', `/safety/register?limit=200&waitFor=${sent.body.position}`).expect(200)).body
      .items as Array<{
      id: string;
      unitId: string;
      kind: string;
      sentAt: string | null;
    }>;
    expect(new Set(all.map((item) => item.unitId))).toEqual(new Set([UNIT, OTHER_UNIT]));
    expect(all.some((item) => item.id === mine.requestId)).toBe(false);
    expect(all.every((item) => item.sentAt !== null)).toBe(true);
    const onlyOther = (await get('director', `/safety/register?unitId=${OTHER_UNIT}&kind=request`).expect(200)).body
      .items;
    expect(onlyOther.map((item: { id: string }) => item.id)).toEqual([theirs.requestId]);

    // Paging: a cursor walks the whole register without repeats.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = after ? `limit=2&after=${encodeURIComponent(after)}` : 'limit=2';
      const page: { items: Array<{ kind: string; id: string }>; nextCursor: string | null } = (
        await get('officer', `/safety/register?${query}`).expect(200)
      ).body;
      seen.push(...page.items.map((item) => `${item.kind}:${item.id}`));
      after = page.nextCursor;
    } while (after);
    expect(seen.length).toBe(register.items.length);
    expect(new Set(seen).size).toBe(seen.length);

    const csv = await get('officer', '/safety/register.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 5)).toEqual(['kind', 'id', 'unitId', 'status', 'openedAt']);
    expect(lines.length - 1).toBe(register.items.length);
    expect(csv.text).toContain(mine.requestId);
    expect(csv.text).not.toContain(OTHER_UNIT);
    expect(leaksIn(csv.text)).toEqual([]);
    const directorCsv = await get('director', '/safety/register.csv').expect(200);
    expect(directorCsv.text).toContain(theirs.requestId);
    expect(leaksIn(directorCsv.text)).toEqual([]);
  });

  it('counts the month per unit for the director, and suppresses small cells when the figures leave the units', async () => {
    const now = Date.now();
    const months = [monthOf(at(now - 80 * HOUR)), monthOf(at(now))].sort();
    const figures = await waitFor('the monitoring figures', async () => {
      const rows = (await get('director', `/safety/monitoring?from=${months[0]}&to=${months[1]}`).expect(200))
        .body as Array<Record<string, unknown>>;
      const unit = rows.filter((row) => row.unitId === UNIT);
      const sum = (key: string) => unit.reduce((total, row) => total + Number(row[key]), 0);
      return sum('requestsSent') >= 2 && sum('emergenciesTotal') >= 2 ? { rows, sum } : undefined;
    });
    expect(figures.sum('requestsSent')).toBe(2);
    expect(figures.sum('requestsLate')).toBe(1);
    expect(figures.sum('presenceConfirmed')).toBe(1);
    expect(figures.sum('presenceDeclined')).toBe(1);
    expect(figures.sum('meetingsWithIncident')).toBe(1);
    expect(figures.sum('emergenciesTotal')).toBe(2);
    const timed = figures.rows.filter((row) => row.unitId === UNIT && Number(row.timedCallToDispatch) > 0);
    expect(timed.flatMap((row) => [row.medianMinutesCallToDispatch])).toEqual(timed.map(() => 3));
    expect(leaksIn(JSON.stringify(figures.rows))).toEqual([]);

    await get('worker', `/safety/monitoring?from=${months[0]}&to=${months[1]}`).expect(403);
    await get('evaluator', `/safety/monitoring?from=${months[0]}&to=${months[1]}`).expect(403);
    await get('director', '/safety/monitoring?from=2026-13&to=2026-01').expect(400);

    for (const reader of ['evaluator', 'director'] as const) {
      const exported = (await get(reader, `/safety/monitoring/export?month=${months[1]}`).expect(200)).body;
      expect(exported.threshold).toBe(5);
      // Every count here is below 5: all of them, totals included, are hidden; no median is over 5 emergencies.
      expect(exported.preventiveRequests.values.flat().every((value: number | null) => value === null)).toBe(true);
      expect(exported.emergenciesByKind.values.flat().every((value: number | null) => value === null)).toBe(true);
      expect(exported.emergenciesByKind.grandTotal).toBeNull();
      expect(
        exported.timeline.every((line: { medianMinutes: Record<string, number | null> }) =>
          Object.values(line.medianMinutes).every((v) => v === null),
        ),
      ).toBe(true);
      expect(leaksIn(JSON.stringify(exported))).toEqual([]);
    }
    await get('operator', `/safety/monitoring/export?month=${months[1]}`).expect(403);
  });

  it('answers every safety route, for every role, as the protocol says: the role table first, then 404 for what a caller may not see', async () => {
    // A record of the unit, sent, and an emergency of the unit: what another unit must never reach.
    const { requestId } = await draft({ meetingInHours: 120, draftedAgoHours: 2 });
    await post('officer', `/safety/requests/${requestId}/sending`).expect(200);
    const emergencyId = (
      await post('worker', '/safety/emergencies', {
        kind: 'damage',
        startedAt: at(Date.now() - 5 * MINUTE),
        colleaguesCalled: false,
        location: PLANTED.emergencyLocation,
      }).expect(201)
    ).body.emergencyId as string;

    const UNIT_STAFF: Role[] = ['social_worker', 'unit_officer'];
    const LIAISON: Role[] = ['police_liaison'];
    const OPERATIONS: Role[] = ['police_operations'];
    const SAFETY: Role[] = ['social_worker', 'unit_officer', 'police_liaison', 'police_operations', 'area_director'];
    const month = monthOf(at(Date.now()));
    const when = at(Date.now() - MINUTE);
    // Route, who may call it, and a valid body: allowed roles get past the role check to the record (404 for an id
    // nobody recorded; 400 for a create with an empty body, so that this test writes nothing).
    const routes: Array<{
      method: 'GET' | 'POST';
      path: string;
      roles: Role[];
      body?: object;
      record?: 'request' | 'emergency';
      allowed: number;
    }> = [
      { method: 'POST', path: '/safety/requests', roles: UNIT_STAFF, body: {}, allowed: 400 },
      { method: 'GET', path: '/safety/requests/:r', roles: SAFETY, record: 'request', allowed: 404 },
      {
        method: 'POST',
        path: '/safety/requests/:r/edits',
        roles: UNIT_STAFF,
        body: { risk: 'low' },
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/sending',
        roles: ['unit_officer'],
        body: {},
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/acknowledgement',
        roles: LIAISON,
        body: {},
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/information-requests',
        roles: LIAISON,
        body: { question: 'q' },
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/information',
        roles: UNIT_STAFF,
        body: { information: 'i' },
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/presence-confirmation',
        roles: LIAISON,
        body: { officers: 1, presentFrom: when },
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/presence-refusal',
        roles: LIAISON,
        body: { reason: 'other' },
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/meeting-outcome',
        roles: UNIT_STAFF,
        body: { outcome: 'no_incident' },
        record: 'request',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/requests/:r/cancellation',
        roles: UNIT_STAFF,
        body: { reason: 'other' },
        record: 'request',
        allowed: 404,
      },
      { method: 'POST', path: '/safety/emergencies', roles: UNIT_STAFF, body: {}, allowed: 400 },
      { method: 'GET', path: '/safety/emergencies/:e', roles: SAFETY, record: 'emergency', allowed: 404 },
      {
        method: 'POST',
        path: '/safety/emergencies/:e/operations-centre-call',
        roles: UNIT_STAFF,
        body: {},
        record: 'emergency',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/emergencies/:e/patrol-dispatch',
        roles: OPERATIONS,
        body: {},
        record: 'emergency',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/emergencies/:e/other-forces-alerts',
        roles: OPERATIONS,
        body: { forces: ['carabinieri'] },
        record: 'emergency',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/emergencies/:e/patrol-arrival',
        roles: OPERATIONS,
        body: {},
        record: 'emergency',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/emergencies/:e/patrol-report',
        roles: LIAISON,
        body: { sharedWithDirectorate: ['none'] },
        record: 'emergency',
        allowed: 404,
      },
      {
        method: 'POST',
        path: '/safety/emergencies/:e/closure',
        roles: [...UNIT_STAFF, 'police_liaison'],
        body: {},
        record: 'emergency',
        allowed: 404,
      },
      { method: 'GET', path: '/safety/register', roles: [...UNIT_STAFF, 'area_director'], allowed: 200 },
      { method: 'GET', path: '/safety/register.csv', roles: [...UNIT_STAFF, 'area_director'], allowed: 200 },
      { method: 'GET', path: '/safety/liaison/worklist', roles: ['police_liaison'], allowed: 200 },
      { method: 'GET', path: `/safety/monitoring?from=${month}&to=${month}`, roles: ['area_director'], allowed: 200 },
      {
        method: 'GET',
        path: `/safety/monitoring/export?month=${month}`,
        roles: ['area_director', 'evaluator'],
        allowed: 200,
      },
    ];
    const callers: UserName[] = [
      'worker',
      'officer',
      'liaison',
      'operations',
      'director',
      'operator',
      'supervisor',
      'serviceStaff',
      'evaluator',
      'admin',
    ];
    const call = (as: UserName | 'anonymous', method: 'GET' | 'POST', path: string, body?: object) => {
      const request =
        method === 'GET'
          ? app.http().get(path)
          : app
              .http()
              .post(path)
              .send(body ?? {});
      return as === 'anonymous' ? request : request.set('Authorization', bearer.get(as)!);
    };

    const failures: string[] = [];
    for (const route of routes) {
      const unknownPath = route.path.replace(':r', randomUUID()).replace(':e', randomUUID());
      for (const caller of callers) {
        const response = await call(caller, route.method, unknownPath, route.body);
        const allowed = route.roles.includes(users[caller].role);
        const expected = allowed ? route.allowed : 403;
        if (response.status !== expected || (!allowed && response.body.code !== 'FORBIDDEN_ROLE')) {
          failures.push(
            `${route.method} ${route.path} as ${caller}: ${response.status} ${response.body?.code ?? ''}, expected ${expected}`,
          );
        }
      }
      const anonymous = await call('anonymous', route.method, unknownPath, route.body);
      if (anonymous.status !== 401) failures.push(`${route.method} ${route.path} without a token: ${anonymous.status}`);

      // Another unit's staff, on this unit's real records: refused by role, or not found; never a byte of the record.
      const realPath = route.path.replace(':r', requestId).replace(':e', emergencyId);
      if (!route.record) continue;
      for (const caller of ['otherWorker', 'otherOfficer'] as const) {
        const response = await call(caller, route.method, realPath, route.body);
        const expected = route.roles.includes(users[caller].role) ? 404 : 403;
        const text = JSON.stringify(response.body);
        if (response.status !== expected)
          failures.push(
            `${route.method} ${route.path} as ${caller} on another unit's record: ${response.status}, expected ${expected}`,
          );
        // A record's status is a word; the problem details' own `status` is the HTTP status, a number.
        if (leaksIn(text).length > 0 || text.includes(UNIT) || /"status":"/.test(text))
          failures.push(`${route.method} ${route.path} as ${caller}: the body shows the record`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing those calls did changed the records.
    expect((await get('officer', `/safety/requests/${requestId}`).expect(200)).body.version).toBe(2);
    expect((await get('worker', `/safety/emergencies/${emergencyId}`).expect(200)).body.version).toBe(1);

    // A unit role needs its unit in the token.
    const noUnit = await mintDevelopmentToken(TEST_JWT_SECRET, { sub: 'sw-nounit', role: 'social_worker' });
    await app.http().get('/safety/register').set('Authorization', `Bearer ${noUnit}`).expect(401);
    const me = await get('worker', '/me').expect(200);
    expect(me.body).toMatchObject({ id: users.worker.sub, role: 'social_worker', unitId: UNIT });
  });

  it('delivers every e-mail exactly once through an outage of the SMTP server', async () => {
    const settled = async () => (await outbox.list()).every((entry) => entry.status === 'delivered');
    await waitFor('the e-mails so far to be delivered', settled);

    await smtp.stop();
    const receivedBefore = smtp.received.length;
    const requestIds: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { requestId } = await draft({ meetingInHours: 96, draftedAgoHours: 1 });
      await post('officer', `/safety/requests/${requestId}/sending`).expect(200);
      requestIds.push(requestId);
    }
    // The outbox has their six e-mails, tried and failed: still pending, with the error's code only.
    const failed = await waitFor('the outage to be felt', async () => {
      const entries = (await outbox.list()).filter((entry) => requestIds.includes(entry.requestId));
      return entries.length === 6 &&
        entries.every((entry) => entry.status === 'pending' && entry.attempts >= 2 && entry.lastError)
        ? entries
        : undefined;
    });
    for (const entry of failed) {
      expect(entry.lastError).toMatch(/^E[A-Z]+/);
      expect(entry.lastError).not.toContain('@');
    }
    expect(leaksIn(JSON.stringify(failed))).toEqual([]);
    expect(smtp.received.length).toBe(receivedBefore);

    await smtp.start();
    await waitFor('every e-mail to be delivered once the server is back', settled, 20_000);
    // A few more rounds of the dispatcher: nothing is sent again.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const entries: SafetyMailOutboxEntry[] = await outbox.list();
    const byMessageId = new Map<string, ReceivedMail[]>();
    for (const mail of smtp.received)
      byMessageId.set(mail.messageId ?? '', [...(byMessageId.get(mail.messageId ?? '') ?? []), mail]);
    expect(smtp.received.length).toBe(entries.length);
    for (const entry of entries) {
      const copies = byMessageId.get(entry.messageId!) ?? [];
      expect(copies).toHaveLength(1);
      expect(copies[0]!.to).toEqual([entry.recipient === 'police_command' ? POLICE_COMMAND : AREA_DIRECTOR]);
      expect(copies[0]!.decoded).toContain(`SR-${entry.requestId}`);
      expect(leaksIn(copies[0]!.raw)).toEqual([]);
    }
    for (const requestId of requestIds) {
      expect(
        mailsAbout(requestId)
          .map((mail) => mail.to[0])
          .sort(),
      ).toEqual([AREA_DIRECTOR, POLICE_COMMAND]);
    }
  });
});
