import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { liveTables, tablesInSchema } from '../table-names';
import { snapshotTables } from '../testing/projection-test-kit';
import { caseQueueProjection } from './case-queue.projection';
import { CaseQueueQueries, type CaseQueueItem } from './case-queue.queries';
import { FOLLOW_UP_AFTER_OPENING_HOURS } from './case-queue.state';
import { ReadModelQueryError } from './read-model-values';
import { applyBatch, callerOf, CaseLog, CaseScript, freshTables, rome, sealed } from './testing/case-log';

describe('The operator queue (case-queue projection)', () => {
  let database: TestDatabase;
  let queries: CaseQueueQueries;
  const live = liveTables(caseQueueProjection);

  beforeAll(async () => {
    database = await createTestDatabase();
    queries = new CaseQueueQueries(database.db);
  });
  beforeEach(async () => {
    await freshTables(database, caseQueueProjection, live);
  });
  afterAll(async () => {
    await database.close();
  });

  const apply = (log: CaseLog) => applyBatch(database, caseQueueProjection, log.events, live);
  const everyOpenCase = async (now: string) => (await queries.byLineAndPhase('*', {}, now, { limit: 200 })).items;
  const rowOf = async (script: CaseScript, now = rome('2020-03-16T12:00')) =>
    (await everyOpenCase(now)).find((item) => item.caseId === script.caseId);
  const ids = (items: readonly CaseQueueItem[], names: Map<string, string>) =>
    items.map((item) => names.get(item.caseId) ?? item.caseId);

  /**
   * A Monday at SostieniMi (open 9-17 on Mondays, 13-21 on Tuesdays): eight open cases, each the answer to one
   * question of the priority order.
   */
  function mondayQueue() {
    const log = new CaseLog();
    const at = (time: string) => rome(`2020-03-16T${time}`);
    const w1 = log.open({ at: at('09:05') });
    const c2 = log.open({ at: at('09:10') });
    c2.run({
      type: 'RequestCallback',
      occurredAt: at('12:00'),
      callbackId: 'cb-c2',
      number: sealed('c2'),
      ...callerOf('pseudo-c2'),
    });
    const w2 = log.open({ at: at('09:20') });
    const c = log.open({ at: at('09:30') });
    c.run({
      type: 'RequestCallback',
      occurredAt: at('09:31'),
      callbackId: 'cb-c',
      number: sealed('c'),
      ...callerOf('pseudo-c'),
    });
    const f = log.open({ at: at('09:40') });
    f.run({
      type: 'ScheduleSession',
      occurredAt: at('09:45'),
      sessionId: 's-f',
      scheduledFor: at('11:00'),
      mode: 'phone',
      professionalId: 'pro-1',
    });
    const f2 = log.open({ at: at('09:50') });
    f2.run({ type: 'SetGoal', occurredAt: at('09:55'), goalKind: 'contact_a_service', description: sealed('goal') });
    const r = log.open({ at: at('10:00') });
    r.run({ type: 'FlagRisk', occurredAt: at('10:05'), level: 'high', kind: 'self_harm' });
    const r2 = log.open({ at: at('11:00') });
    r2.run({ type: 'EscalateSafety', occurredAt: at('11:01'), action: 'supervisor_alerted' });
    r2.run({
      type: 'RequestCallback',
      occurredAt: at('11:02'),
      callbackId: 'cb-r2',
      number: sealed('r2'),
      ...callerOf('pseudo-r2'),
    });
    const names = new Map(
      Object.entries({ w1, c2, w2, c, f, f2, r, r2 }).map(([name, script]) => [script.caseId, name]),
    );
    return { log, at, names, cases: { w1, c2, w2, c, f, f2, r, r2 } };
  }

  it('orders the queue at risk first, then call-backs overdue, then follow-ups due, then the longest waiting, at the now it is asked', async () => {
    const { log, at, names } = mondayQueue();
    await apply(log);

    const atTwo = await everyOpenCase(at('14:00'));
    expect(ids(atTwo, names)).toEqual(['r', 'r2', 'c', 'f', 'w1', 'c2', 'w2', 'f2']);
    expect(atTwo.map((item) => item.priority)).toEqual([3, 3, 5, 6, 7, 7, 7, 7]);
    const c = atTwo[2];
    expect(c).toMatchObject({
      callbackDueAt: at('13:31'),
      callbackOverdue: true,
      nextAction: 'call_back',
      nextActionOverdue: true,
      pendingCallbacks: 1,
    });
    expect(atTwo[3]).toMatchObject({
      followUpDueAt: at('11:00'),
      followUpReason: 'session',
      followUpOverdue: true,
      nextAction: 'session',
      callbackOverdue: false,
    });
    // r2 is at risk through its escalation alone; its call-back (due 15:02) is not overdue yet.
    expect(atTwo[1]).toMatchObject({
      atRisk: true,
      riskLevel: null,
      safetyEscalations: 1,
      callbackDueAt: at('15:02'),
      callbackOverdue: false,
    });
    expect(atTwo[0]).toMatchObject({ atRisk: true, riskLevel: 'high', safetyEscalations: 0 });

    // Later the same afternoon r2's call-back is overdue, then c2's too: the order follows the clock.
    expect(ids(await everyOpenCase(at('15:30')), names)).toEqual(['r2', 'r', 'c', 'f', 'w1', 'c2', 'w2', 'f2']);
    expect(ids(await everyOpenCase(at('16:30')), names)).toEqual(['r2', 'r', 'c2', 'c', 'f', 'w1', 'w2', 'f2']);
    // Due exactly now counts as overdue.
    expect((await everyOpenCase(at('16:00'))).find((item) => names.get(item.caseId) === 'c2')?.callbackOverdue).toBe(
      true,
    );
  });

  it('dates follow-ups by the rule: a session at its time, a goal 16 opening hours after the last contact, a referral after its appointment', async () => {
    expect(FOLLOW_UP_AFTER_OPENING_HOURS).toBe(16);
    const { log, cases } = mondayQueue();
    const referred = log.open({ at: rome('2020-03-16T09:00') });
    referred.run({
      type: 'ProposeReferral',
      occurredAt: rome('2020-03-16T09:10'),
      referralId: 'ref-1',
      serviceId: 'serd-1',
    });
    referred.run({
      type: 'SendHandoff',
      occurredAt: rome('2020-03-16T09:15'),
      referralId: 'ref-1',
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band'],
    });
    await apply(log);

    // Sent at 9:15 on Monday: 7h45 of Monday, 8h of Tuesday's 13-21 shift, the last 15 minutes on Wednesday.
    expect(await rowOf(referred)).toMatchObject({
      followUpReason: 'referral',
      followUpDueAt: rome('2020-03-18T09:15'),
      nextAction: 'follow_up',
      openReferrals: 1,
    });
    let mark = log.mark();
    referred.run({
      type: 'AcceptHandoff',
      occurredAt: rome('2020-03-16T10:00'),
      referralId: 'ref-1',
      appointmentAt: rome('2020-03-19T10:00'),
    });
    await applyBatch(database, caseQueueProjection, log.since(mark), live);
    // The appointment is on Thursday at 10, before Thursday's 13-21 shift: 8h of it and 8h of Friday's 9-17.
    expect(await rowOf(referred)).toMatchObject({
      followUpReason: 'referral',
      followUpDueAt: rome('2020-03-20T17:00'),
    });

    // Goal set at 9:55 on Monday (the last contact was at 9:50): 7h05 on Monday, 8h on Tuesday, 55 minutes on Wednesday.
    expect(await rowOf(cases.f2)).toMatchObject({
      followUpReason: 'goal',
      followUpDueAt: rome('2020-03-18T09:55'),
      nextAction: 'follow_up',
    });
    // A new contact with the caller moves the follow-up forward; a held session ends the session's follow-up.
    mark = log.mark();
    cases.f2.run({
      type: 'RecordFollowUpContact',
      occurredAt: rome('2020-03-17T14:00'),
      channel: 'phone',
      direction: 'outbound',
      outOfHours: false,
    });
    cases.f.run({ type: 'RecordSessionHeld', occurredAt: rome('2020-03-16T11:45'), sessionId: 's-f' });
    await applyBatch(database, caseQueueProjection, log.since(mark), live);
    // Tuesday 14:00: 7h to 21:00, 8h on Wednesday 9-17, 1h on Thursday from 13:00. An outbound contact is no wait.
    expect(await rowOf(cases.f2)).toMatchObject({
      followUpDueAt: rome('2020-03-19T14:00'),
      waitingSince: rome('2020-03-16T09:50'),
    });
    expect(await rowOf(cases.f)).toMatchObject({ followUpDueAt: null, followUpReason: null, nextAction: null });
  });

  it('dates a voicemail left on Saturday night at the next opening, as the call-back event says', async () => {
    const log = new CaseLog();
    const voicemail = log.open({ at: rome('2020-03-14T22:30'), channel: 'voicemail', outOfHours: true });
    const [requested] = voicemail.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-14T22:30'),
      callbackId: 'cb-1',
      number: sealed('n'),
      ...callerOf('p'),
    });
    const daytime = log.open({ at: rome('2020-03-15T09:00') });
    daytime.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-15T09:30'),
      callbackId: 'cb-2',
      number: sealed('m'),
      ...callerOf('q'),
    });
    await apply(log);

    // SostieniMi opens at 9 on Sunday; 4 opening hours later is 13:00 (12:00 UTC, winter time).
    expect((requested!.data as { dueAt: string }).dueAt).toBe('2020-03-15T12:00:00.000Z');
    const before = await queries.callbackQueue(['sostienimi'], rome('2020-03-15T12:59'));
    expect(before.items.map((item) => [item.caseId, item.callbackDueAt, item.callbackOverdue])).toEqual([
      [voicemail.caseId, '2020-03-15T12:00:00.000Z', false],
      [daytime.caseId, rome('2020-03-15T13:30'), false],
    ]);
    const at = await queries.callbackQueue(['sostienimi'], rome('2020-03-15T13:00'));
    expect(at.items.map((item) => item.callbackOverdue)).toEqual([true, false]);
    expect(at.items[0]).toMatchObject({
      nextAction: 'call_back',
      nextActionDueAt: '2020-03-15T12:00:00.000Z',
      nextActionOverdue: true,
      priority: 5,
    });

    // Completed: it leaves the call-back queue, the case stays in the queue.
    const mark = log.mark();
    voicemail.run({
      type: 'CompleteCallback',
      occurredAt: rome('2020-03-15T10:00'),
      callbackId: 'cb-1',
      resolution: 'caller_reached',
    });
    await applyBatch(database, caseQueueProjection, log.since(mark), live);
    expect((await queries.callbackQueue('*', rome('2020-03-15T13:00'))).items.map((item) => item.caseId)).toEqual([
      daytime.caseId,
    ]);
    expect(await rowOf(voicemail)).toMatchObject({ pendingCallbacks: 0, callbackDueAt: null, nextAction: null });
  });

  it('counts the pending call-backs and shows the earliest due', async () => {
    const log = new CaseLog();
    const script = log.open({ at: rome('2020-03-16T09:00') });
    script.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T10:00'),
      callbackId: 'a',
      number: sealed('a'),
      ...callerOf('p'),
    });
    script.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T09:30'),
      callbackId: 'b',
      number: sealed('b'),
      ...callerOf('p'),
    });
    script.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T11:00'),
      callbackId: 'c',
      number: sealed('c'),
      ...callerOf('p'),
    });
    script.run({
      type: 'CompleteCallback',
      occurredAt: rome('2020-03-16T11:30'),
      callbackId: 'b',
      resolution: 'attempts_exhausted',
    });
    await apply(log);
    expect(await rowOf(script)).toMatchObject({ pendingCallbacks: 2, callbackDueAt: rome('2020-03-16T14:00') });
  });

  it('asks to call back no number that is gone: an erased case or a discarded number leaves the call-back list', async () => {
    const log = new CaseLog();
    const erased = log.open({ at: rome('2020-03-16T09:00') });
    erased.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T09:10'),
      callbackId: 'a',
      number: sealed('a'),
      ...callerOf('p'),
    });
    const discarded = log.open({ at: rome('2020-03-16T09:20') });
    discarded.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T09:30'),
      callbackId: 'b',
      number: sealed('b'),
      ...callerOf('q'),
    });
    const kept = log.open({ at: rome('2020-03-16T09:40') });
    kept.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T09:50'),
      callbackId: 'c',
      number: sealed('c'),
      ...callerOf('r'),
    });
    erased.run({ type: 'ErasePersonalData', occurredAt: rome('2020-03-16T10:00'), reason: 'caller_request' });
    discarded.run({
      type: 'DiscardCallbackNumber',
      occurredAt: rome('2020-03-16T10:05'),
      callbackId: 'b',
      reason: 'caller_request',
    });
    await apply(log);

    const listed = await queries.callbackQueue('*', rome('2020-03-16T23:00'));
    expect(listed.items.map((item) => item.caseId)).toEqual([kept.caseId]);
    for (const gone of [erased, discarded]) {
      const row = await rowOf(gone);
      expect(row).toMatchObject({ pendingCallbacks: 0, callbackDueAt: null });
      expect(row?.nextAction).not.toBe('call_back');
    }
  });

  it('takes the phase from the domain when phases come out of order, and drops a case when it closes', async () => {
    const log = new CaseLog();
    const skipping = log.open({ at: rome('2020-03-16T09:00') });
    skipping.run({ type: 'SetGoal', occurredAt: rome('2020-03-16T09:10'), goalKind: 'understand_the_problem' });
    const goalFirst = { phase: skipping.state.phase, furthest: skipping.state.furthestPhase };
    skipping.run({ type: 'FrameRequest', occurredAt: rome('2020-03-16T09:20'), categories: ['listening'] });
    const closing = log.open({ at: rome('2020-03-16T09:05') });
    closing.run({
      type: 'FrameRequest',
      occurredAt: rome('2020-03-16T09:15'),
      categories: ['information_on_services'],
    });

    // The goal came first: framing and reframing were skipped.
    await applyBatch(database, caseQueueProjection, log.events.slice(0, 2), live);
    expect(goalFirst).toEqual({ phase: 'goal', furthest: 'goal' });
    expect(await rowOf(skipping)).toMatchObject({ phase: 'goal', furthestPhase: 'goal' });
    // Framing after the goal: the case is framing again, the furthest point stays the goal (as the domain says).
    await applyBatch(database, caseQueueProjection, log.events.slice(2), live);
    expect(skipping.state.phase).toBe('framing');
    expect(await rowOf(skipping)).toMatchObject({ phase: 'framing', furthestPhase: 'goal' });
    expect(await rowOf(closing)).toMatchObject({ phase: 'framing', furthestPhase: 'framing' });

    // Closing after framing: the case leaves the queue.
    const mark = log.mark();
    closing.run({ type: 'CloseCase', occurredAt: rome('2020-03-16T09:30'), outcome: 'information_given' });
    await applyBatch(database, caseQueueProjection, log.since(mark), live);
    expect(await rowOf(closing)).toBeUndefined();
    expect((await everyOpenCase(rome('2020-03-16T12:00'))).map((item) => item.caseId)).toEqual([skipping.caseId]);
  });

  it('brings a reopened case back where it was, waiting since the reopening, at risk only for a risk that still stands', async () => {
    const log = new CaseLog();
    const escalated = log.open({ at: rome('2020-03-16T09:00') });
    escalated.run({ type: 'ReframeProblem', occurredAt: rome('2020-03-16T09:10'), categories: ['mental_health'] });
    escalated.run({
      type: 'EscalateSafety',
      occurredAt: rome('2020-03-16T09:15'),
      action: 'psychiatric_emergency_contacted',
    });
    escalated.run({ type: 'AssignOperator', occurredAt: rome('2020-03-16T09:16'), operatorId: 'op-1' });
    const risky = log.open({ at: rome('2020-03-16T09:05') });
    risky.run({ type: 'FlagRisk', occurredAt: rome('2020-03-16T09:06'), level: 'imminent', kind: 'overdose' });
    await apply(log);
    expect(await rowOf(escalated)).toMatchObject({ atRisk: true, safetyEscalations: 1, phase: 'reframing' });

    let mark = log.mark();
    escalated.run({ type: 'CloseCase', occurredAt: rome('2020-03-16T10:00'), outcome: 'taken_in_charge_by_line' });
    risky.run({ type: 'CloseCase', occurredAt: rome('2020-03-16T10:00'), outcome: 'other' });
    await applyBatch(database, caseQueueProjection, log.since(mark), live);
    expect(await everyOpenCase(rome('2020-03-16T12:00'))).toEqual([]);

    mark = log.mark();
    escalated.run({ type: 'ReopenCase', occurredAt: rome('2020-03-17T14:00'), reason: 'service_feedback' });
    risky.run({ type: 'ReopenCase', occurredAt: rome('2020-03-17T15:00'), reason: 'caller_recontacted' });
    risky.run({
      type: 'RecordFollowUpContact',
      occurredAt: rome('2020-03-17T15:01'),
      channel: 'phone',
      direction: 'inbound',
      outOfHours: false,
    });
    await applyBatch(database, caseQueueProjection, log.since(mark), live);
    expect(await rowOf(escalated)).toMatchObject({
      phase: 'reframing',
      assignedOperatorId: 'op-1',
      atRisk: false,
      safetyEscalations: 0,
      openedAt: rome('2020-03-16T09:00'),
      reopenedAt: rome('2020-03-17T14:00'),
      lastInboundContactAt: rome('2020-03-16T09:00'),
      waitingSince: rome('2020-03-17T14:00'),
    });
    expect(await rowOf(risky)).toMatchObject({
      phase: 'first_contact',
      atRisk: true,
      riskLevel: 'imminent',
      waitingSince: rome('2020-03-17T15:01'),
    });
  });

  it('pages with opaque cursors that keep the now of the first page', async () => {
    const { log, at, names } = mondayQueue();
    await apply(log);
    const first = await queries.byLineAndPhase(['sostienimi'], {}, at('14:00'), { limit: 3 });
    expect(ids(first.items, names)).toEqual(['r', 'r2', 'c']);
    expect(first.now).toBe(at('14:00'));
    // Asked later, the next pages still follow the order of 14:00 (at 16:30 c2 would have jumped ahead).
    const second = await queries.byLineAndPhase(['sostienimi'], {}, at('16:30'), { limit: 3, after: first.nextCursor });
    expect(ids(second.items, names)).toEqual(['f', 'w1', 'c2']);
    expect(second.now).toBe(at('14:00'));
    const third = await queries.byLineAndPhase(['sostienimi'], {}, at('16:30'), { limit: 3, after: second.nextCursor });
    expect(ids(third.items, names)).toEqual(['w2', 'f2']);
    expect(third.nextCursor).toBeNull();

    const callbacks: string[] = [];
    let after: string | null = null;
    do {
      const page = await queries.callbackQueue('*', at('14:00'), { limit: 1, after });
      callbacks.push(...ids(page.items, names));
      after = page.nextCursor;
    } while (after);
    expect(callbacks).toEqual(['c', 'r2', 'c2']);

    await expect(queries.byLineAndPhase('*', {}, at('14:00'), { after: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
      field: 'after',
    });
    const callbackCursor = (await queries.callbackQueue('*', at('14:00'), { limit: 1 })).nextCursor;
    await expect(queries.byLineAndPhase('*', {}, at('14:00'), { after: callbackCursor })).rejects.toBeInstanceOf(
      ReadModelQueryError,
    );
    await expect(queries.unassigned('*', 'yesterday', {})).rejects.toMatchObject({
      code: 'INVALID_TIMESTAMP',
      field: 'now',
    });
    await expect(queries.unassigned('*', at('14:00'), { limit: 0 })).rejects.toMatchObject({
      code: 'INVALID_VALUE',
      field: 'limit',
    });
  });

  it("shows readers only their lines' cases: an operator's own, the unassigned, by line, phase and risk", async () => {
    const log = new CaseLog();
    const mine = log.open({ at: rome('2020-03-16T09:00') });
    mine.run({ type: 'AssignOperator', occurredAt: rome('2020-03-16T09:01'), operatorId: 'op-1' });
    const mineElsewhere = log.open({ lineId: 'psych-emergency', at: rome('2020-03-16T10:00') });
    mineElsewhere.run({ type: 'AssignOperator', occurredAt: rome('2020-03-16T10:01'), operatorId: 'op-1' });
    mineElsewhere.run({
      type: 'FlagRisk',
      occurredAt: rome('2020-03-16T10:02'),
      level: 'moderate',
      kind: 'harm_to_others',
    });
    const theirs = log.open({ at: rome('2020-03-16T09:30') });
    theirs.run({ type: 'AssignOperator', occurredAt: rome('2020-03-16T09:31'), operatorId: 'op-2' });
    theirs.run({ type: 'FrameRequest', occurredAt: rome('2020-03-16T09:32'), categories: ['listening'] });
    const nobodys = log.open({ lineId: 'psych-emergency', at: rome('2020-03-16T11:00') });
    nobodys.run({ type: 'FlagRisk', occurredAt: rome('2020-03-16T11:02'), level: 'high', kind: 'self_harm' });
    const nobodysHere = log.open({ at: rome('2020-03-16T11:30') });
    await apply(log);
    const now = rome('2020-03-16T12:00');
    const caseIds = (page: { items: CaseQueueItem[] }) => page.items.map((item) => item.caseId);

    expect(caseIds(await queries.myQueue('op-1', '*', now))).toEqual([mine.caseId, mineElsewhere.caseId]);
    expect(caseIds(await queries.myQueue('op-1', ['psych-emergency'], now))).toEqual([mineElsewhere.caseId]);
    expect(caseIds(await queries.myQueue('op-1', [], now))).toEqual([]);
    expect(caseIds(await queries.unassigned(['sostienimi', 'psych-emergency'], now))).toEqual([
      nobodys.caseId,
      nobodysHere.caseId,
    ]);
    expect(caseIds(await queries.unassigned(['sostienimi'], now))).toEqual([nobodysHere.caseId]);
    expect(caseIds(await queries.byLineAndPhase(['*'], { phase: 'framing' }, now))).toEqual([theirs.caseId]);
    expect(caseIds(await queries.byLineAndPhase(['sostienimi'], { lineId: 'psych-emergency' }, now))).toEqual([]);
    expect(caseIds(await queries.byLineAndPhase(['psych-emergency'], { lineId: 'psych-emergency' }, now))).toEqual([
      nobodys.caseId,
      mineElsewhere.caseId,
    ]);
    expect(caseIds(await queries.byLineAndPhase('*', { atRisk: true }, now))).toEqual([nobodys.caseId]);
    await expect(queries.myQueue('', '*', now)).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'operatorId' });
  });

  it('keeps nothing personal: no number, pseudonym, name or note, not even sealed', async () => {
    const log = new CaseLog();
    const other = log.open({ at: rome('2020-03-16T09:00') });
    other.run({
      type: 'RequestCallback',
      occurredAt: rome('2020-03-16T09:01'),
      callbackId: 'cb',
      number: sealed('+39 333'),
      ...callerOf('pseudonym-xyz'),
    });
    other.run({
      type: 'FlagRisk',
      occurredAt: rome('2020-03-16T09:02'),
      level: 'low',
      kind: 'other',
      note: sealed('note'),
    });
    other.run({
      type: 'SetGoal',
      occurredAt: rome('2020-03-16T09:03'),
      goalKind: 'other',
      description: sealed('goal'),
    });
    await apply(log);
    const snapshot = JSON.stringify(await snapshotTables(database, caseQueueProjection, live));
    expect(snapshot).toContain(other.caseId);
    expect(snapshot).not.toMatch(/ciphertext|pseudonym-xyz|\+39/);
  });

  it('gives the same rows whether the events come in one batch or several', async () => {
    const { log, cases } = mondayQueue();
    cases.c.run({
      type: 'CompleteCallback',
      occurredAt: rome('2020-03-16T12:00'),
      callbackId: 'cb-c',
      resolution: 'caller_reached',
    });
    cases.r.run({ type: 'CloseCase', occurredAt: rome('2020-03-16T12:30'), outcome: 'other' });
    cases.r.run({ type: 'ReopenCase', occurredAt: rome('2020-03-16T13:00'), reason: 'caller_recontacted' });
    cases.w1.run({ type: 'CloseCase', occurredAt: rome('2020-03-16T13:00'), outcome: 'information_given' });
    cases.f2.run({
      type: 'ProposeReferral',
      occurredAt: rome('2020-03-16T13:10'),
      referralId: 'x',
      serviceId: 'serd-1',
    });
    const whole = tablesInSchema(caseQueueProjection, 'queue_whole');
    const split = tablesInSchema(caseQueueProjection, 'queue_split');
    await freshTables(database, caseQueueProjection, whole);
    await freshTables(database, caseQueueProjection, split);

    await applyBatch(database, caseQueueProjection, log.events, whole);
    const cut = [0, 1, 5, 6, 13, 20, log.events.length];
    for (let index = 0; index + 1 < cut.length; index++) {
      await applyBatch(database, caseQueueProjection, log.events.slice(cut[index], cut[index + 1]), split);
    }
    const wholeRows = await snapshotTables(database, caseQueueProjection, whole);
    expect(wholeRows.case_queue).toHaveLength(7);
    expect(await snapshotTables(database, caseQueueProjection, split)).toEqual(wholeRows);
    const asOf = new CaseQueueQueries(database.db, split);
    expect((await asOf.byLineAndPhase('*', {}, rome('2020-03-16T14:00'))).items.map((item) => item.caseId)).toEqual(
      (await new CaseQueueQueries(database.db, whole).byLineAndPhase('*', {}, rome('2020-03-16T14:00'))).items.map(
        (item) => item.caseId,
      ),
    );
    await sql`drop schema queue_whole cascade`.execute(database.db);
    await sql`drop schema queue_split cascade`.execute(database.db);
  });
});
