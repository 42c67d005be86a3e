import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { DirectoryService } from '@helpline/directory';
import { aLocation, anOrganization, aService } from '../../directory/src/testing/directory-fixtures';
import { ProjectionRunner, referralPipelineProjection } from '@helpline/projections';
import { HANDOFF_EXPIRY_FACTOR, HandoffEscalation } from './handoff-escalation';
import { casesOnTestDatabase, contextFor } from './testing/cases-harness';

const operator = { id: 'operator-1', role: 'operator' as const, lines: ['sostienimi'] };
const staff = { id: 'serd-staff-1', role: 'service_staff' as const, lines: [], serviceId: 'svc-serd-prova' };
const HOUR = 3_600_000;
/** Agreed in the directory fixture's handoff contact. */
const AGREED_HOURS = 48;

describe('handoff escalation', () => {
  let cases: Awaited<ReturnType<typeof casesOnTestDatabase>>;
  let runner: ProjectionRunner;
  let escalation: HandoffEscalation;
  /** Every handoff of these tests was sent at this instant, well in the past (the executor refuses future times). */
  const sentAt = Date.now() - 400 * HOUR;
  const at = (hoursAfterSending: number) => new Date(sentAt + hoursAfterSending * HOUR);

  beforeAll(async () => {
    cases = await casesOnTestDatabase();
    const directory = DirectoryService.onDatabase(cases.database);
    await directory.createOrganization('admin-1', anOrganization());
    await directory.createLocation('admin-1', aLocation());
    await directory.createService('admin-1', aService());
    await directory.createService(
      'admin-1',
      aService({ id: 'svc-no-agreement', name: 'Servizio senza tempi concordati', handoffContact: null }),
    );
    runner = new ProjectionRunner({
      database: cases.database,
      eventStore: cases.store,
      projections: [referralPipelineProjection],
      metrics: new Registry(),
      maxPollMs: 50,
    });
    await runner.start();
    escalation = new HandoffEscalation(cases.database, cases.streams, cases.executor, directory);
  });
  afterAll(async () => {
    await runner?.stop();
    await cases?.close();
  });

  const ourCases: string[] = [];
  /**
   * The referral pipeline has seen every event of these tests' cases. (Not the log's head: on a shared server the
   * head the store reports can lag behind our own appends while other sessions hold old transactions open.)
   */
  async function caughtUp(): Promise<void> {
    for (const caseId of ourCases) {
      const last = (await cases.streams.load(caseId)).events.at(-1)!;
      expect(await runner.waitForPosition('referral-pipeline', last.recorded.position, 20_000)).toBe(true);
    }
  }

  async function sentHandoff(serviceId = 'svc-serd-prova'): Promise<{ caseId: string; referralId: string }> {
    const caseId = randomUUID();
    const referralId = randomUUID();
    ourCases.push(caseId);
    const occurredAt = new Date(sentAt).toISOString();
    const run = (build: Parameters<typeof cases.executor.execute>[0]['build'], opensCase = false) =>
      cases.executor.execute({ caseId, opensCase, context: contextFor(operator), occurredAt, build });
    await run(
      () => ({
        type: 'RecordFirstContact',
        caseId,
        occurredAt,
        lineId: 'sostienimi',
        channel: 'phone',
        callerType: 'person_concerned',
        ageBand: '30_40',
        gender: 'female',
        concern: 'alcohol',
        heardOfLine: 'press',
        outOfHours: false,
      }),
      true,
    );
    await run(() => ({ type: 'ProposeReferral', caseId, occurredAt, referralId, serviceId }));
    await run(() => ({
      type: 'SendHandoff',
      caseId,
      occurredAt,
      referralId,
      consent: { given: true, method: 'verbal' },
      sharedFields: ['age_band'],
    }));
    return { caseId, referralId };
  }

  const eventsOf = async (caseId: string) => (await cases.streams.load(caseId)).events.map(({ event }) => event.type);

  it('escalates once past the agreed time, expires at twice the agreed time, and appends nothing when run again', async () => {
    expect(HANDOFF_EXPIRY_FACTOR).toBe(2);
    const waiting = await sentHandoff();
    const answered = await sentHandoff();
    await cases.executor.execute({
      caseId: answered.caseId,
      context: contextFor(staff),
      reachability: { referralId: answered.referralId },
      build: ({ occurredAt }) => ({
        type: 'AcceptHandoff',
        caseId: answered.caseId,
        occurredAt,
        referralId: answered.referralId,
      }),
    });
    const noAgreement = await sentHandoff('svc-no-agreement');
    await caughtUp();
    const sentEvents = ['FirstContactRecorded', 'ReferralProposed', 'HandoffSent'];

    // Within the agreed time: nothing.
    expect(await escalation.sweep(at(AGREED_HOURS - 1))).toEqual({ escalated: 0, expired: 0, skipped: 0 });
    expect(await eventsOf(waiting.caseId)).toEqual(sentEvents);

    // Past it: escalated, once; a second run, before and after the read model has seen the escalation, adds nothing.
    expect(await escalation.sweep(at(AGREED_HOURS + 1))).toEqual({ escalated: 1, expired: 0, skipped: 0 });
    expect(await escalation.sweep(at(AGREED_HOURS + 1))).toMatchObject({ escalated: 0, expired: 0 });
    await caughtUp();
    expect(await escalation.sweep(at(AGREED_HOURS + 2))).toEqual({ escalated: 0, expired: 0, skipped: 0 });
    expect(await eventsOf(waiting.caseId)).toEqual([...sentEvents, 'HandoffEscalated']);
    const escalated = (await cases.streams.load(waiting.caseId)).events.at(-1)!;
    expect(escalated.recorded.occurredAt).toBe(at(AGREED_HOURS + 1).toISOString());
    expect(escalated.recorded.metadata).toMatchObject({ actorId: 'system:handoff-escalation' });

    // Just before twice the agreed time: still waiting.
    expect(await escalation.sweep(at(2 * AGREED_HOURS - 1))).toEqual({ escalated: 0, expired: 0, skipped: 0 });
    // At twice the agreed time: expired, once.
    expect(await escalation.sweep(at(2 * AGREED_HOURS))).toEqual({ escalated: 0, expired: 1, skipped: 0 });
    expect(await escalation.sweep(at(2 * AGREED_HOURS))).toMatchObject({ escalated: 0, expired: 0 });
    await caughtUp();
    expect(await escalation.sweep(at(3 * AGREED_HOURS))).toEqual({ escalated: 0, expired: 0, skipped: 0 });
    expect(await eventsOf(waiting.caseId)).toEqual([...sentEvents, 'HandoffEscalated', 'ReferralExpired']);
    expect((await cases.streams.load(waiting.caseId)).state.referrals[waiting.referralId]!.status).toBe('expired');

    // An answered handoff and one to a service with no agreed time are left alone.
    expect(await eventsOf(answered.caseId)).toEqual([...sentEvents, 'HandoffAccepted']);
    expect(await eventsOf(noAgreement.caseId)).toEqual(sentEvents);
  });

  it('expires a handoff found only after twice the agreed time without escalating it first', async () => {
    const late = await sentHandoff();
    await caughtUp();
    expect(await escalation.sweep(at(5 * AGREED_HOURS))).toEqual({ escalated: 0, expired: 1, skipped: 0 });
    expect(await eventsOf(late.caseId)).toEqual([
      'FirstContactRecorded',
      'ReferralProposed',
      'HandoffSent',
      'ReferralExpired',
    ]);
  });

  it('skips a handoff the service answered after the read model last looked', async () => {
    const handoff = await sentHandoff();
    await caughtUp();
    await runner.stop(); // the read model keeps showing the handoff as waiting
    try {
      await cases.executor.execute({
        caseId: handoff.caseId,
        context: contextFor(staff),
        reachability: { referralId: handoff.referralId },
        build: ({ occurredAt }) => ({
          type: 'DeclineHandoff',
          caseId: handoff.caseId,
          occurredAt,
          referralId: handoff.referralId,
          reason: 'no_capacity',
        }),
      });
      const result = await escalation.sweep(at(AGREED_HOURS + 1));
      expect(result.escalated).toBe(0);
      expect(result.skipped).toBeGreaterThanOrEqual(1);
      expect(await eventsOf(handoff.caseId)).toEqual([
        'FirstContactRecorded',
        'ReferralProposed',
        'HandoffSent',
        'HandoffDeclined',
      ]);
    } finally {
      await runner.start();
    }
  });
});
