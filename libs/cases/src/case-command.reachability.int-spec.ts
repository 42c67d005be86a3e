import { randomUUID } from 'node:crypto';
import type { Principal } from '@helpline/auth';
import type { CaseCommand } from '@helpline/domain';
import { CaseNotFoundError } from './case-errors';
import { casesOnTestDatabase, contextFor } from './testing/cases-harness';

const operator: Principal = { id: 'operator-1', role: 'operator', lines: ['sostienimi'] };
const staff: Principal = { id: 'serd-staff-1', role: 'service_staff', lines: [], serviceId: 'svc-serd' };
const otherStaff: Principal = { id: 'serd-staff-9', role: 'service_staff', lines: [], serviceId: 'svc-other' };

describe('reaching a case through a referral (service staff)', () => {
  let cases: Awaited<ReturnType<typeof casesOnTestDatabase>>;

  beforeAll(async () => {
    cases = await casesOnTestDatabase();
  });
  afterAll(async () => cases?.close());

  async function caseWithReferral(send: boolean) {
    const caseId = randomUUID();
    const referralId = randomUUID();
    const run = (build: (occurredAt: string) => CaseCommand, opensCase = false) =>
      cases.executor.execute({
        caseId,
        opensCase,
        context: contextFor(operator),
        build: ({ occurredAt }) => build(occurredAt),
      });
    await run(
      (occurredAt) => ({
        type: 'RecordFirstContact',
        caseId,
        occurredAt,
        lineId: 'sostienimi',
        channel: 'phone',
        callerType: 'person_concerned',
        ageBand: '30_40',
        gender: 'male',
        concern: 'gambling',
        heardOfLine: 'press',
        outOfHours: false,
      }),
      true,
    );
    await run((occurredAt) => ({ type: 'ProposeReferral', caseId, occurredAt, referralId, serviceId: 'svc-serd' }));
    if (send)
      await run((occurredAt) => ({
        type: 'SendHandoff',
        caseId,
        occurredAt,
        referralId,
        consent: { given: true, method: 'verbal' },
        sharedFields: [],
      }));
    return { caseId, referralId };
  }

  const asStaff = (
    principal: Principal,
    caseId: string,
    referralId: string,
    build: (occurredAt: string) => CaseCommand,
  ) =>
    cases.executor.execute({
      caseId,
      context: contextFor(principal),
      reachability: { referralId },
      build: ({ occurredAt }) => build(occurredAt),
    });

  it("lets the staff of the service a referral was sent to record that referral's steps, as themselves", async () => {
    const { caseId, referralId } = await caseWithReferral(true);
    const result = await asStaff(staff, caseId, referralId, (occurredAt) => ({
      type: 'AcceptHandoff',
      caseId,
      occurredAt,
      referralId,
    }));
    expect(result.events).toEqual([expect.objectContaining({ type: 'HandoffAccepted' })]);
    const last = (await cases.streams.load(caseId)).events.at(-1)!;
    expect(last.recorded.metadata).toMatchObject({ actorId: 'serd-staff-1', actorRole: 'service_staff' });
  });

  it('answers "not found" to anything else: another service, a referral not sent, an operator, a command outside the service steps, another referral', async () => {
    const sent = await caseWithReferral(true);
    const proposed = await caseWithReferral(false);
    const accept =
      (caseId: string, referralId: string) =>
      (occurredAt: string): CaseCommand => ({ type: 'AcceptHandoff', caseId, occurredAt, referralId });
    await expect(
      asStaff(otherStaff, sent.caseId, sent.referralId, accept(sent.caseId, sent.referralId)),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      asStaff(staff, proposed.caseId, proposed.referralId, accept(proposed.caseId, proposed.referralId)),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      asStaff(operator, sent.caseId, sent.referralId, accept(sent.caseId, sent.referralId)),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      asStaff(staff, sent.caseId, sent.referralId, (occurredAt) => ({
        type: 'WithdrawReferral',
        caseId: sent.caseId,
        occurredAt,
        referralId: sent.referralId,
        reason: 'other',
      })),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      asStaff(staff, sent.caseId, sent.referralId, (occurredAt) => ({
        type: 'AssignOperator',
        caseId: sent.caseId,
        occurredAt,
        operatorId: 'serd-staff-1',
      })),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      asStaff(staff, sent.caseId, sent.referralId, accept(sent.caseId, proposed.referralId)),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    // Without the referral route, service staff have no line: the case is not theirs.
    await expect(
      cases.executor.execute({
        caseId: sent.caseId,
        context: contextFor(staff),
        build: ({ occurredAt }) => accept(sent.caseId, sent.referralId)(occurredAt),
      }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    expect((await cases.streams.load(sent.caseId)).events.map(({ event }) => event.type)).toEqual([
      'FirstContactRecorded',
      'ReferralProposed',
      'HandoffSent',
    ]);
  });
});
