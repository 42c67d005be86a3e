import { DirectoryService } from '@helpline/directory';
import { TestApp } from '../support/test-app';

const operator = { sub: 'operator-7', role: 'operator' as const, lines: ['sostienimi'] };
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const contact = (occurredAt: string) => ({
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'person_concerned',
  ageBand: '30_40',
  gender: 'male',
  concern: 'alcohol',
  heardOfLine: 'press',
  occurredAt,
  // These cases are for the line's queue; opening one otherwise assigns it to the operator (see the test below).
  leaveUnassigned: true,
});

describe('operator queues and the referral pipeline, from commands to read models', () => {
  let app: TestApp;
  let auth: string;

  beforeAll(async () => {
    app = await TestApp.start();
    await DirectoryService.onDatabase(app.database).importSample('test-admin');
    auth = await app.bearer(operator);
  });
  afterAll(async () => app?.stop());

  const post = (path: string, body: object) => app.http().post(path).set('Authorization', auth).send(body);
  const get = (path: string, query: Record<string, string> = {}, who = auth) =>
    app.http().get(path).query(query).set('Authorization', who);

  it('lists cases by priority: at risk first, then the longest waiting; follows assignment, closing and reopening', async () => {
    const a = (await post('/cases', contact(hoursAgo(3))).expect(201)).body.caseId;
    const b = (await post('/cases', contact(hoursAgo(2))).expect(201)).body.caseId;
    const c = (await post('/cases', contact(hoursAgo(1))).expect(201)).body.caseId;
    await post(`/cases/${b}/callbacks`, { number: '333 123 4567' }).expect(201);
    const risk = await post(`/cases/${c}/risk-flags`, { level: 'high', kind: 'self_harm' }).expect(200);

    const unassigned = await get('/queues/unassigned', { waitFor: risk.body.position }).expect(200);
    expect(unassigned.body.caughtUp).toBe(true);
    const ours = unassigned.body.items.filter((i: { caseId: string }) => [a, b, c].includes(i.caseId));
    expect(ours.map((i: { caseId: string }) => i.caseId)).toEqual([c, a, b]);
    expect(ours[0]).toMatchObject({ atRisk: true, riskLevel: 'high' });
    expect(ours[2]).toMatchObject({ pendingCallbacks: 1, nextAction: 'call_back' });
    expect(JSON.stringify(unassigned.body)).not.toContain('1234567');

    const callbacks = await get('/queues/callbacks').expect(200);
    expect(callbacks.body.items.map((i: { caseId: string }) => i.caseId)).toContain(b);

    const assigned = await post(`/cases/${a}/assignment`, { operatorId: 'operator-7' }).expect(200);
    const mine = await get('/queues/mine', { waitFor: assigned.body.position }).expect(200);
    expect(mine.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([a]);

    const closed = await post(`/cases/${c}/closure`, { outcome: 'information_given' }).expect(200);
    const afterClose = await get('/queues/cases', { lineId: 'sostienimi', waitFor: closed.body.position }).expect(200);
    expect(afterClose.body.items.map((i: { caseId: string }) => i.caseId)).not.toContain(c);
    const reopened = await post(`/cases/${c}/reopening`, { reason: 'caller_recontacted' }).expect(200);
    const afterReopen = await get('/queues/cases', { waitFor: reopened.body.position }).expect(200);
    expect(afterReopen.body.items.map((i: { caseId: string }) => i.caseId)).toContain(c);

    const otherLine = await app.bearer({ sub: 'operator-9', role: 'operator', lines: ['psych-emergency'] });
    const theirs = await get('/queues/unassigned', {}, otherLine).expect(200);
    expect(theirs.body.items.filter((i: { caseId: string }) => [a, b, c].includes(i.caseId))).toEqual([]);
  });

  it("assigns a case to the operator who opens it, in their queue at once, unless they leave it for the line's", async () => {
    // undefined is left out of the JSON body: the operator says nothing about assignment.
    const unassignedOmitted = { ...contact(hoursAgo(1)), leaveUnassigned: undefined };
    const opened = await post('/cases', unassignedOmitted).expect(201);
    const mine = await get('/queues/mine', { waitFor: opened.body.position }).expect(200);
    expect(mine.body.caughtUp).toBe(true);
    expect(mine.body.items.map((i: { caseId: string }) => i.caseId)).toContain(opened.body.caseId);
    const view = await get(`/cases/${opened.body.caseId}`).expect(200);
    expect(view.body).toMatchObject({ assignedOperatorId: operator.sub, version: 1 });

    const left = await post('/cases', { ...unassignedOmitted, leaveUnassigned: true }).expect(201);
    const unassigned = await get('/queues/unassigned', { waitFor: left.body.position }).expect(200);
    expect(unassigned.body.items.map((i: { caseId: string }) => i.caseId)).toContain(left.body.caseId);
    const stillMine = await get('/queues/mine', { waitFor: left.body.position }).expect(200);
    expect(stillMine.body.items.map((i: { caseId: string }) => i.caseId)).not.toContain(left.body.caseId);
    await post('/cases', { ...unassignedOmitted, leaveUnassigned: 'no' }).expect(400);
  });

  it('pages with a cursor, and refuses a malformed one or a malformed position', async () => {
    for (let i = 0; i < 3; i++) await post('/cases', contact(hoursAgo(10 + i))).expect(201);
    const first = await get('/queues/unassigned', { limit: '2' }).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await get('/queues/unassigned', { limit: '2', after: first.body.nextCursor }).expect(200);
    const ids = [...first.body.items, ...second.body.items].map((i: { caseId: string }) => i.caseId);
    expect(new Set(ids).size).toBe(ids.length);
    await get('/queues/unassigned', { after: 'garbage' }).expect(400);
    await get('/queues/unassigned', { waitFor: 'soon' })
      .expect(400)
      .expect(({ body }) => expect(body.errors[0].field).toBe('waitFor'));
  });

  it('follows each referral through the pipeline, with a funnel per service', async () => {
    const caseId = (await post('/cases', contact(hoursAgo(1))).expect(201)).body.caseId;
    const proposed = await post(`/cases/${caseId}/referrals`, { serviceId: 'esempio-smi-lambrate' }).expect(201);
    const referralId = proposed.body.events[0].referralId;
    const sent = await post(`/cases/${caseId}/referrals/${referralId}/handoff`, {
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band'],
    }).expect(200);
    const list = await get('/referrals', { serviceId: 'esempio-smi-lambrate', waitFor: sent.body.position }).expect(
      200,
    );
    expect(list.body.items).toEqual([
      expect.objectContaining({ caseId, referralId, status: 'sent', serviceId: 'esempio-smi-lambrate' }),
    ]);
    expect(list.body.items[0].sentAt).toEqual(expect.any(String));
    const funnel = await get('/referrals/funnel', {
      serviceId: 'esempio-smi-lambrate',
      from: hoursAgo(24),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    }).expect(200);
    expect(funnel.body[0].counts).toMatchObject({ proposed: 1, sent: 1 });
  });

  it('reports each read model to administrators, and exports metrics', async () => {
    const admin = await app.bearer({ role: 'admin' });
    const status = await get('/admin/projections', {}, admin).expect(200);
    expect(status.body.map((p: { name: string }) => p.name).sort()).toEqual(
      expect.arrayContaining(['case-queue', 'referral-pipeline']),
    );
    for (const projection of status.body)
      expect(projection).toMatchObject({ status: 'running', rebuilding: false, error: null });
    await get('/admin/projections', {}, auth).expect(403);
    await app.http().post('/admin/projections/no-such/rebuild').set('Authorization', admin).expect(404);
    const metrics = await app.http().get('/metrics').expect(200);
    expect(metrics.text).toContain('helpline_http_requests_total');
    expect(metrics.text).toContain('helpline_projection_lag_events');
  });
});
