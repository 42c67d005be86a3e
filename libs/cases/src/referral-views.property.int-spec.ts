import fc from 'fast-check';
import {
  DECLINE_REASONS,
  DomainError,
  REFERRAL_WITHDRAWAL_REASONS,
  entryOf,
  upcastCaseEvent,
  type CaseState,
  type ReferralState,
  type ReferralStatus,
} from '@helpline/domain';
import { createTestDatabase, type TestDatabase } from '@helpline/database';
import { liveTables, ReferralPipelineQueries, referralPipelineProjection } from '@helpline/projections';
import type { PersonalDataVault } from '@helpline/privacy';
import {
  applyBatch,
  CaseLog,
  freshTables,
  rome,
  type ScriptCommand,
} from '../../projections/src/read-models/testing/case-log';
import { caseView } from './case-views';
import type { LoadedCase } from './case-stream.repository';
import { handoffView } from './handoff-view';

/*
 * One referral lifecycle: random referral histories, each command decided by the domain (refused ones dropped,
 * so every history is one the application could have written), folded by the domain and shown by every read model
 * that shows a referral. Every field they share must agree.
 */

const OPENED = rome('2020-03-16T09:00');
const REFERRAL_IDS = ['ref-a', 'ref-b', 'ref-c'] as const;
const SERVICES = ['serd-1', 'serd-2', 'smi-1'] as const;

type Step = { referral: number; choice: number; service: number; minutes: number; variant: number };

/**
 * The commands worth trying on a referral in each status, the steps forward more often than the ways out, so that
 * histories go deep (the domain still decides; refusals are dropped).
 */
const NEXT_ACTIONS: Record<ReferralStatus | 'none', readonly string[]> = {
  none: ['propose'],
  proposed: ['send', 'send', 'send', 'send', 'withdraw', 'expire'],
  sent: [
    'accept',
    'accept',
    'accept_with_appointment',
    'accept_with_appointment',
    'decline',
    'escalate',
    'withdraw',
    'expire',
  ],
  accepted: ['schedule', 'schedule', 'schedule', 'care', 'escalate', 'withdraw', 'expire'],
  appointment_set: ['schedule', 'schedule', 'attend', 'attend', 'miss', 'care', 'withdraw', 'expire'],
  attended: ['care'],
  declined: [],
  no_show: [],
  taken_into_care: [],
  withdrawn: [],
  expired: [],
};

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  referral: fc.integer({ min: 0, max: REFERRAL_IDS.length - 1 }),
  choice: fc.nat(),
  service: fc.integer({ min: 0, max: SERVICES.length - 1 }),
  // Mostly forward in time, sometimes an entry dated before the previous one (the domain accepts both).
  minutes: fc.integer({ min: -120, max: 3_000 }),
  variant: fc.nat(),
});

/** A command the referral's status allows (the domain still decides), or none once the referral's loop is over. */
function actionOf(step: Step, state: CaseState): string | undefined {
  const status = entryOf(state.referrals, REFERRAL_IDS[step.referral]!)?.status ?? 'none';
  const actions = NEXT_ACTIONS[status];
  return actions.length === 0 ? undefined : actions[step.choice % actions.length];
}

function commandOf(action: string, step: Step, at: string): ScriptCommand {
  const referralId = REFERRAL_IDS[step.referral]!;
  const later = (hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();
  switch (action) {
    case 'propose':
      return { type: 'ProposeReferral', occurredAt: at, referralId, serviceId: SERVICES[step.service]! };
    case 'send':
      return {
        type: 'SendHandoff',
        occurredAt: at,
        referralId,
        consent: { given: true, method: 'verbal' },
        sharedFields: step.variant % 2 === 0 ? ['age_band', 'concern'] : ['gender'],
      };
    case 'accept':
      return { type: 'AcceptHandoff', occurredAt: at, referralId };
    case 'accept_with_appointment':
      return { type: 'AcceptHandoff', occurredAt: at, referralId, appointmentAt: later(24 + (step.variant % 200)) };
    case 'decline':
      return {
        type: 'DeclineHandoff',
        occurredAt: at,
        referralId,
        reason: DECLINE_REASONS[step.variant % DECLINE_REASONS.length]!,
      };
    case 'schedule':
      return { type: 'ScheduleAppointment', occurredAt: at, referralId, appointmentAt: later(step.variant % 300) };
    case 'attend':
      return { type: 'RecordAppointmentAttended', occurredAt: at, referralId };
    case 'miss':
      return { type: 'RecordAppointmentMissed', occurredAt: at, referralId };
    case 'care':
      return { type: 'RecordTakenIntoCare', occurredAt: at, referralId };
    case 'withdraw':
      return {
        type: 'WithdrawReferral',
        occurredAt: at,
        referralId,
        reason: REFERRAL_WITHDRAWAL_REASONS[step.variant % REFERRAL_WITHDRAWAL_REASONS.length]!,
      };
    case 'escalate':
      return { type: 'EscalateHandoff', occurredAt: at, referralId };
    default:
      return { type: 'ExpireReferral', occurredAt: at, referralId };
  }
}

const instant = (value: string | null | undefined) => (value == null ? null : new Date(value).toISOString());

/** What every read model showing a referral shares with the domain's state, times as instants. */
function sharedOf(referral: object) {
  const value = referral as ReferralState;
  return {
    referralId: value.referralId,
    serviceId: value.serviceId,
    status: value.status,
    proposedAt: instant(value.proposedAt),
    sentAt: instant(value.sentAt),
    acceptedAt: instant(value.acceptedAt),
    declinedAt: instant(value.declinedAt),
    appointmentAt: instant(value.appointmentAt),
    appointmentScheduledAt: instant(value.appointmentScheduledAt),
    attendedAt: instant(value.attendedAt),
    missedAt: instant(value.missedAt),
    takenIntoCareAt: instant(value.takenIntoCareAt),
    withdrawnAt: instant(value.withdrawnAt),
    expiredAt: instant(value.expiredAt),
    lastEscalatedAt: instant(value.lastEscalatedAt),
    escalations: value.escalations,
    sharedFields: [...value.sharedFields],
    declineReason: value.declineReason,
    withdrawalReason: value.withdrawalReason,
  };
}

/** The handoff view shows the steps from the sending on, not the proposal, its scheduling time or withdrawal reason. */
function handoffShareOf(shared: ReturnType<typeof sharedOf>) {
  const { proposedAt, appointmentScheduledAt, withdrawalReason, ...rest } = shared;
  void proposedAt;
  void appointmentScheduledAt;
  void withdrawalReason;
  return rest;
}

const noVault = { openMany: async (fields: readonly unknown[]) => fields.map(() => undefined) };

describe('One referral lifecycle: the domain and every read model that shows a referral agree', () => {
  let database: TestDatabase;
  let queries: ReferralPipelineQueries;
  const live = liveTables(referralPipelineProjection);

  beforeAll(async () => {
    database = await createTestDatabase();
    queries = new ReferralPipelineQueries(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  it('gives every random referral history the same status, step times and appointment everywhere', async () => {
    let referralsSeen = 0;
    let rescheduled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (steps, batchSize) => {
          await freshTables(database, referralPipelineProjection, live);
          const log = new CaseLog();
          const script = log.open({ at: OPENED });
          let at = OPENED;
          for (const step of steps) {
            at = new Date(Date.parse(at) + step.minutes * 60_000).toISOString();
            const action = actionOf(step, script.state);
            if (action === undefined) continue;
            try {
              script.run(commandOf(action, step, at));
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
            }
          }
          for (let start = 0; start < log.events.length; start += batchSize)
            await applyBatch(database, referralPipelineProjection, log.events.slice(start, start + batchSize), live);

          const loaded: LoadedCase = {
            caseId: script.caseId,
            state: script.state,
            version: log.events.length,
            events: log.events.map((recorded) => ({
              recorded,
              event: upcastCaseEvent(recorded.type, recorded.schemaVersion, recorded.data),
            })),
          };
          const domain = Object.values(script.state.referrals).map(sharedOf);
          const pipeline = (await queries.byServiceAndStatus({}, { limit: 200 })).items;
          const view = caseView(loaded).referrals;
          referralsSeen += domain.length;
          rescheduled += log.events.filter(
            (recorded) =>
              recorded.type === 'AppointmentScheduled' && 'previousAppointmentAt' in (recorded.data as object),
          ).length;

          const byId = <T extends { referralId: string }>(items: readonly T[]) =>
            [...items].sort((a, b) => a.referralId.localeCompare(b.referralId));
          expect(byId(pipeline.map(sharedOf))).toEqual(byId(domain));
          expect(pipeline.every((item) => item.caseId === script.caseId && item.lineId === 'sostienimi')).toBe(true);
          expect(byId(view.map(sharedOf))).toEqual(byId(domain));

          for (const referral of domain) {
            const handoff = await handoffView(loaded, referral.referralId, noVault as unknown as PersonalDataVault);
            if (referral.sentAt === null) {
              expect(handoff).toBeUndefined();
              continue;
            }
            expect(handoff).toBeDefined();
            expect(handoffShareOf(sharedOf({ ...handoff!, proposedAt: null, appointmentScheduledAt: null }))).toEqual(
              handoffShareOf(referral),
            );
          }
        },
      ),
      {
        numRuns: 40,
        // Always among the histories: one referral proposed, sent, accepted, scheduled and moved.
        examples: [
          [Array.from({ length: 5 }, () => ({ referral: 0, choice: 0, service: 0, minutes: 60, variant: 30 })), 3],
        ],
      },
    );
    // The histories reached referrals at all (refused commands are dropped, not every history is empty).
    expect(referralsSeen).toBeGreaterThan(0);
    expect(rescheduled).toBeGreaterThan(0);
  });
});
