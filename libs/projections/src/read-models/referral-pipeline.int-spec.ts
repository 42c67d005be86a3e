import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { liveTables, tablesInSchema } from '../table-names';
import { snapshotTables } from '../testing/projection-test-kit';
import { referralPipelineProjection } from './referral-pipeline.projection';
import { ReferralPipelineQueries, type ReferralPipelineItem } from './referral-pipeline.queries';
import { applyBatch, CaseLog, freshTables, rome, sealed, type ScriptCommand } from './testing/case-log';

const MONDAY = rome('2020-03-16T09:00');
/** `hours` after Monday 16 March 2020, 9:00 in Rome. */
const t = (hours: number, from = MONDAY) => new Date(Date.parse(from) + hours * 3_600_000).toISOString();

describe('The referral pipeline (referral-pipeline projection)', () => {
  let database: TestDatabase;
  let queries: ReferralPipelineQueries;
  const live = liveTables(referralPipelineProjection);

  beforeAll(async () => {
    database = await createTestDatabase();
    queries = new ReferralPipelineQueries(database.db);
  });
  beforeEach(async () => {
    await freshTables(database, referralPipelineProjection, live);
  });
  afterAll(async () => {
    await database.close();
  });

  const referralNamed = async (referralId: string) =>
    (await queries.byServiceAndStatus({}, { limit: 200 })).items.find((item) => item.referralId === referralId);
  const consent = { given: true, method: 'verbal' } as const;

  it('follows a referral through every step of the loop, with the time each was reached', async () => {
    const log = new CaseLog();
    const script = log.open({ at: t(0) });
    await applyBatch(database, referralPipelineProjection, log.events, live);
    const steps: Array<[ScriptCommand, Partial<ReferralPipelineItem>]> = [
      [
        { type: 'ProposeReferral', occurredAt: t(1), referralId: 'ref-a', serviceId: 'serd-1' },
        {
          status: 'proposed',
          proposedAt: t(1),
          sentAt: null,
          lineId: 'sostienimi',
          serviceId: 'serd-1',
          caseId: script.caseId,
          escalations: 0,
          sharedFields: [],
        },
      ],
      [
        {
          type: 'SendHandoff',
          occurredAt: t(2),
          referralId: 'ref-a',
          consent,
          sharedFields: ['age_band', 'concern', 'summary_note'],
          summaryNote: sealed('summary'),
        },
        { status: 'sent', sentAt: t(2), sharedFields: ['age_band', 'concern', 'summary_note'] },
      ],
      [
        { type: 'EscalateHandoff', occurredAt: t(30), referralId: 'ref-a' },
        { status: 'sent', escalations: 1, lastEscalatedAt: t(30) },
      ],
      [
        { type: 'AcceptHandoff', occurredAt: t(31), referralId: 'ref-a' },
        { status: 'accepted', acceptedAt: t(31), sentAt: t(2) },
      ],
      [
        { type: 'EscalateHandoff', occurredAt: t(60), referralId: 'ref-a' },
        { status: 'accepted', escalations: 2, lastEscalatedAt: t(60) },
      ],
      [
        { type: 'ScheduleAppointment', occurredAt: t(61), referralId: 'ref-a', appointmentAt: t(96) },
        { status: 'appointment_set', appointmentScheduledAt: t(61), appointmentAt: t(96) },
      ],
      [
        { type: 'ScheduleAppointment', occurredAt: t(62), referralId: 'ref-a', appointmentAt: t(120) },
        // Moved: the latest scheduling, as the domain (and GET /cases/{id}) has it.
        { status: 'appointment_set', appointmentScheduledAt: t(62), appointmentAt: t(120) },
      ],
      [
        { type: 'RecordAppointmentAttended', occurredAt: t(121), referralId: 'ref-a' },
        { status: 'attended', attendedAt: t(121) },
      ],
      [
        { type: 'RecordTakenIntoCare', occurredAt: t(150), referralId: 'ref-a' },
        {
          status: 'taken_into_care',
          takenIntoCareAt: t(150),
          proposedAt: t(1),
          sentAt: t(2),
          acceptedAt: t(31),
          attendedAt: t(121),
          updatedAt: t(150),
        },
      ],
    ];
    for (const [command, expected] of steps) {
      const mark = log.mark();
      script.run(command);
      await applyBatch(database, referralPipelineProjection, log.since(mark), live);
      expect(await referralNamed('ref-a')).toMatchObject(expected);
    }

    // The other ways out of the loop, each on a service of its own.
    const mark = log.mark();
    script.run({ type: 'ProposeReferral', occurredAt: t(3), referralId: 'ref-b', serviceId: 'serd-2' });
    script.run({ type: 'SendHandoff', occurredAt: t(4), referralId: 'ref-b', consent, sharedFields: [] });
    script.run({
      type: 'DeclineHandoff',
      occurredAt: t(5),
      referralId: 'ref-b',
      reason: 'outside_catchment_area',
      suggestedServiceId: 'serd-3',
    });
    script.run({ type: 'ProposeReferral', occurredAt: t(6), referralId: 'ref-c', serviceId: 'serd-3' });
    script.run({ type: 'SendHandoff', occurredAt: t(7), referralId: 'ref-c', consent, sharedFields: ['gender'] });
    script.run({ type: 'AcceptHandoff', occurredAt: t(8), referralId: 'ref-c', appointmentAt: t(48) });
    script.run({ type: 'RecordAppointmentMissed', occurredAt: t(49), referralId: 'ref-c' });
    script.run({ type: 'ProposeReferral', occurredAt: t(9), referralId: 'ref-d', serviceId: 'smi-1' });
    script.run({ type: 'WithdrawReferral', occurredAt: t(10), referralId: 'ref-d', reason: 'caller_changed_mind' });
    script.run({ type: 'ProposeReferral', occurredAt: t(11), referralId: 'ref-e', serviceId: 'smi-2' });
    script.run({ type: 'SendHandoff', occurredAt: t(12), referralId: 'ref-e', consent, sharedFields: [] });
    script.run({ type: 'ExpireReferral', occurredAt: t(200), referralId: 'ref-e' });
    await applyBatch(database, referralPipelineProjection, log.since(mark), live);

    expect(await referralNamed('ref-b')).toMatchObject({
      status: 'declined',
      sentAt: t(4),
      declinedAt: t(5),
      declineReason: 'outside_catchment_area',
      acceptedAt: null,
    });
    expect(await referralNamed('ref-c')).toMatchObject({
      status: 'no_show',
      acceptedAt: t(8),
      appointmentScheduledAt: t(8),
      appointmentAt: t(48),
      missedAt: t(49),
      attendedAt: null,
    });
    expect(await referralNamed('ref-d')).toMatchObject({
      status: 'withdrawn',
      withdrawnAt: t(10),
      withdrawalReason: 'caller_changed_mind',
      sentAt: null,
    });
    expect(await referralNamed('ref-e')).toMatchObject({ status: 'expired', sentAt: t(12), expiredAt: t(200) });

    // Every value the domain's own fold has, the pipeline has too.
    for (const referral of Object.values(script.state.referrals)) {
      expect(await referralNamed(referral.referralId)).toMatchObject({
        status: referral.status,
        serviceId: referral.serviceId,
        proposedAt: referral.proposedAt,
        sentAt: referral.sentAt,
        acceptedAt: referral.acceptedAt,
        declinedAt: referral.declinedAt,
        appointmentAt: referral.appointmentAt,
        attendedAt: referral.attendedAt,
        missedAt: referral.missedAt,
        takenIntoCareAt: referral.takenIntoCareAt,
        withdrawnAt: referral.withdrawnAt,
        expiredAt: referral.expiredAt,
        lastEscalatedAt: referral.lastEscalatedAt,
        escalations: referral.escalations,
        sharedFields: referral.sharedFields,
      });
    }
    // Shared fields by name only: the summary note itself is not there.
    expect(JSON.stringify(await snapshotTables(database, referralPipelineProjection, live))).not.toContain(
      'ciphertext',
    );
  });

  it('lists referrals by service and status, in the reader’s lines, page by page', async () => {
    const log = new CaseLog();
    const proposed: string[] = [];
    for (let index = 0; index < 5; index++) {
      const script = log.open({ at: t(index), lineId: index === 4 ? 'psych-emergency' : 'sostienimi' });
      script.run({
        type: 'ProposeReferral',
        occurredAt: t(index, t(1)),
        referralId: `ref-${index}`,
        serviceId: 'serd-1',
      });
      if (index % 2 === 0)
        script.run({
          type: 'SendHandoff',
          occurredAt: t(index, t(2)),
          referralId: `ref-${index}`,
          consent,
          sharedFields: [],
        });
      proposed.push(`ref-${index}`);
    }
    const other = log.open({ at: t(0) });
    other.run({ type: 'ProposeReferral', occurredAt: t(0), referralId: 'ref-other', serviceId: 'smi-1' });
    await applyBatch(database, referralPipelineProjection, log.events, live);
    const referralIds = (items: readonly ReferralPipelineItem[]) => items.map((item) => item.referralId);

    expect(referralIds((await queries.byServiceAndStatus({ serviceId: 'serd-1', status: 'sent' })).items)).toEqual([
      'ref-0',
      'ref-2',
      'ref-4',
    ]);
    expect(
      referralIds(
        (await queries.byServiceAndStatus({ serviceId: 'serd-1', status: ['sent', 'proposed'], lines: ['sostienimi'] }))
          .items,
      ),
    ).toEqual(['ref-0', 'ref-1', 'ref-2', 'ref-3']);
    expect(referralIds((await queries.byServiceAndStatus({ status: 'proposed', lines: '*' })).items)).toEqual([
      'ref-other',
      'ref-1',
      'ref-3',
    ]);
    expect((await queries.byServiceAndStatus({ lines: [] })).items).toEqual([]);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await queries.byServiceAndStatus({ serviceId: 'serd-1' }, { limit: 2, after });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...referralIds(page.items));
      after = page.nextCursor;
    } while (after);
    expect(seen).toEqual(proposed);
    await expect(queries.byServiceAndStatus({}, { after: 'bogus' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(queries.byServiceAndStatus({ status: 'lost' as never })).rejects.toMatchObject({
      code: 'INVALID_VALUE',
      field: 'status',
    });
  });

  it("computes each service's funnel for the referrals proposed in a period: counts, acceptance rate, medians", async () => {
    const log = new CaseLog();
    const from = rome('2020-03-01T00:00');
    const to = rome('2020-04-01T00:00');
    let counter = 0;
    /** One referral on a case of its own; the answers come so many hours after the handoff was sent. */
    const referral = (
      serviceId: string,
      proposedAt: string,
      path: { send?: boolean; accepted?: number; declined?: number; appointment?: boolean; care?: number },
    ) => {
      const referralId = `ref-${++counter}`;
      const script = log.open({ at: proposedAt });
      script.run({ type: 'ProposeReferral', occurredAt: proposedAt, referralId, serviceId });
      if (path.send === false) return;
      const sentAt = t(1, proposedAt);
      script.run({ type: 'SendHandoff', occurredAt: sentAt, referralId, consent, sharedFields: [] });
      if (path.accepted !== undefined)
        script.run({ type: 'AcceptHandoff', occurredAt: t(path.accepted, sentAt), referralId });
      if (path.declined !== undefined)
        script.run({ type: 'DeclineHandoff', occurredAt: t(path.declined, sentAt), referralId, reason: 'no_capacity' });
      if (path.appointment)
        script.run({
          type: 'ScheduleAppointment',
          occurredAt: t(path.accepted! + 1, sentAt),
          referralId,
          appointmentAt: t(48, sentAt),
        });
      if (path.care !== undefined)
        script.run({ type: 'RecordTakenIntoCare', occurredAt: t(path.care, sentAt), referralId });
    };
    referral('serd-1', rome('2020-03-02T10:00'), { accepted: 2, care: 50 });
    referral('serd-1', rome('2020-03-05T10:00'), { accepted: 4, appointment: true, care: 100 });
    referral('serd-1', rome('2020-03-09T10:00'), { accepted: 9 });
    referral('serd-1', rome('2020-03-10T10:00'), { declined: 3 });
    referral('serd-1', rome('2020-03-31T23:59'), { send: false });
    referral('serd-1', rome('2020-02-29T23:00'), { accepted: 1, care: 1 }); // proposed before the period
    referral('serd-1', rome('2020-04-01T00:00'), { accepted: 1 }); // proposed at its (excluded) end
    referral('smi-1', rome('2020-03-03T10:00'), { declined: 5 });
    referral('smi-1', rome('2020-03-04T10:00'), {});
    await applyBatch(database, referralPipelineProjection, log.events, live);

    const funnel = await queries.funnel({ from, to });
    const zero = {
      proposed: 0,
      sent: 0,
      accepted: 0,
      declined: 0,
      appointment_set: 0,
      attended: 0,
      no_show: 0,
      taken_into_care: 0,
      withdrawn: 0,
      expired: 0,
    };
    expect(funnel).toEqual([
      {
        serviceId: 'serd-1',
        counts: { ...zero, proposed: 5, sent: 4, accepted: 3, declined: 1, appointment_set: 1, taken_into_care: 2 },
        acceptanceRate: 0.75,
        // Sent to accepted: 2, 4 and 9 hours. Sent to taken into care: 50 and 100 hours, the median between them.
        medianHoursSentToAccepted: 4,
        medianHoursSentToTakenIntoCare: 75,
      },
      {
        serviceId: 'smi-1',
        counts: { ...zero, proposed: 2, sent: 2, declined: 1 },
        acceptanceRate: 0,
        medianHoursSentToAccepted: null,
        medianHoursSentToTakenIntoCare: null,
      },
    ]);
    expect((await queries.funnel({ from, to, serviceId: 'smi-1' })).map((row) => row.serviceId)).toEqual(['smi-1']);
    expect(await queries.funnel({ from, to, lines: ['psych-emergency'] })).toEqual([]);
    expect((await queries.funnel({ from: rome('2020-02-01T00:00'), to: from }))[0]).toMatchObject({
      serviceId: 'serd-1',
      counts: { ...zero, proposed: 1, sent: 1, accepted: 1, taken_into_care: 1 },
      acceptanceRate: 1,
      medianHoursSentToAccepted: 1,
    });
    await expect(queries.funnel({ from: to, to: from })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'to' });
  });

  it('flags handoffs the service has left unanswered longer than its agreed response time', async () => {
    const log = new CaseLog();
    const now = rome('2020-03-20T12:00');
    const handoff = (referralId: string, serviceId: string, hoursAgo: number, then?: 'accept' | 'escalate') => {
      const sentAt = t(-hoursAgo, now);
      const script = log.open({ at: t(-1, sentAt) });
      script.run({ type: 'ProposeReferral', occurredAt: t(-1, sentAt), referralId, serviceId });
      script.run({ type: 'SendHandoff', occurredAt: sentAt, referralId, consent, sharedFields: ['age_band'] });
      if (then === 'accept') script.run({ type: 'AcceptHandoff', occurredAt: t(1, sentAt), referralId });
      if (then === 'escalate') script.run({ type: 'EscalateHandoff', occurredAt: t(25, sentAt), referralId });
      return script;
    };
    handoff('h-30', 'serd-1', 30, 'escalate');
    handoff('h-10', 'serd-1', 10);
    handoff('h-24', 'serd-1', 24); // exactly the agreed time: not longer
    handoff('h-50', 'smi-1', 50);
    handoff('h-60-answered', 'smi-1', 60, 'accept');
    handoff('h-100-no-agreement', 'other-1', 100);
    await applyBatch(database, referralPipelineProjection, log.events, live);
    const agreed = new Map([
      ['serd-1', 24],
      ['smi-1', 48],
    ]);

    const overdue = await queries.overdueHandoffs(now, agreed);
    expect(overdue.items).toEqual([
      expect.objectContaining({
        referralId: 'h-50',
        serviceId: 'smi-1',
        agreedHours: 48,
        hoursWaiting: 50,
        sentAt: t(-50, now),
        escalations: 0,
        lineId: 'sostienimi',
      }),
      expect.objectContaining({
        referralId: 'h-30',
        serviceId: 'serd-1',
        agreedHours: 24,
        hoursWaiting: 30,
        escalations: 1,
        lastEscalatedAt: t(-5, now),
      }),
    ]);
    expect(overdue.nextCursor).toBeNull();
    const byFunction = await queries.overdueHandoffs(
      now,
      (serviceId) => (serviceId === 'other-1' ? 72 : agreed.get(serviceId)),
      { page: { limit: 1 } },
    );
    expect(byFunction.items.map((item) => item.referralId)).toEqual(['h-100-no-agreement']);
    const next = await queries.overdueHandoffs(
      now,
      (serviceId) => (serviceId === 'other-1' ? 72 : agreed.get(serviceId)),
      { page: { limit: 2, after: byFunction.nextCursor } },
    );
    expect(next.items.map((item) => item.referralId)).toEqual(['h-50', 'h-30']);
    expect(
      (await queries.overdueHandoffs(now, agreed, { serviceId: 'serd-1' })).items.map((item) => item.referralId),
    ).toEqual(['h-30']);
    expect((await queries.overdueHandoffs(now, agreed, { lines: ['psych-emergency'] })).items).toEqual([]);
    expect((await queries.overdueHandoffs(t(-20, now), agreed)).items).toEqual([]);
    await expect(queries.overdueHandoffs(now, () => -1)).rejects.toMatchObject({
      code: 'INVALID_VALUE',
      field: 'agreedHoursByService',
    });
  });

  it('gives the same rows whether the events come in one batch or several', async () => {
    const log = new CaseLog();
    for (let index = 0; index < 3; index++) {
      const script = log.open({ at: t(index), lineId: index === 2 ? 'psych-emergency' : 'sostienimi' });
      script.run({ type: 'ProposeReferral', occurredAt: t(1 + index), referralId: 'r', serviceId: 'serd-1' });
      script.run({
        type: 'SendHandoff',
        occurredAt: t(2 + index),
        referralId: 'r',
        consent,
        sharedFields: ['concern'],
      });
      script.run({ type: 'EscalateHandoff', occurredAt: t(30 + index), referralId: 'r' });
      script.run({ type: 'AcceptHandoff', occurredAt: t(31 + index), referralId: 'r', appointmentAt: t(60) });
      script.run({ type: 'ScheduleAppointment', occurredAt: t(40 + index), referralId: 'r', appointmentAt: t(70) });
      if (index === 1) script.run({ type: 'RecordAppointmentMissed', occurredAt: t(71), referralId: 'r' });
      script.run({ type: 'ProposeReferral', occurredAt: t(72), referralId: 'r2', serviceId: 'smi-1' });
    }
    const whole = tablesInSchema(referralPipelineProjection, 'pipeline_whole');
    const split = tablesInSchema(referralPipelineProjection, 'pipeline_split');
    await freshTables(database, referralPipelineProjection, whole);
    await freshTables(database, referralPipelineProjection, split);
    await applyBatch(database, referralPipelineProjection, log.events, whole);
    let start = 0;
    for (const size of [1, 3, 2, 5, 1, 4, 100]) {
      await applyBatch(database, referralPipelineProjection, log.events.slice(start, start + size), split);
      start += size;
    }
    const wholeRows = await snapshotTables(database, referralPipelineProjection, whole);
    expect(wholeRows.referral_pipeline).toHaveLength(6);
    expect(await snapshotTables(database, referralPipelineProjection, split)).toEqual(wholeRows);
    // The same referral id on two cases is two referrals.
    const rows = await new ReferralPipelineQueries(database.db, split).byServiceAndStatus({ serviceId: 'serd-1' });
    expect(rows.items.map((item) => [item.referralId, item.status, item.lineId])).toEqual([
      ['r', 'appointment_set', 'sostienimi'],
      ['r', 'no_show', 'sostienimi'],
      ['r', 'appointment_set', 'psych-emergency'],
    ]);
    await sql`drop schema pipeline_whole cascade`.execute(database.db);
    await sql`drop schema pipeline_split cascade`.execute(database.db);
  });
});
