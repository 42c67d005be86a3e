import {
  CASE_PHASES,
  COUNSELLING_PHASES,
  DECLINE_REASONS,
  REFERRAL_STATUSES,
  REFERRAL_WITHDRAWAL_REASONS,
  RISK_LEVELS,
  SHARED_FIELDS,
} from '@helpline/domain';
import { FOLLOW_UP_REASONS, NEXT_ACTIONS } from '@helpline/projections';
import {
  boolean,
  instant,
  integer,
  keyedBy,
  listOf,
  named,
  nullable,
  number,
  object,
  oneOf,
  text,
  uuid,
} from '../common/response-schema';

const NEXT_CURSOR = nullable(text('Pass as after for the next page; null on the last page'));
const CAUGHT_UP = boolean('False when the read model had not reached waitFor within 5 s');

const CASE_QUEUE_ITEM = named(
  'CaseQueueItem',
  object({
    caseId: uuid(),
    lineId: text(),
    phase: oneOf(CASE_PHASES),
    furthestPhase: nullable(oneOf(COUNSELLING_PHASES)),
    assignedOperatorId: nullable(text()),
    riskLevel: nullable(oneOf(RISK_LEVELS, 'The level of the latest risk assessment; null when none was made')),
    atRisk: boolean('Risk high or imminent, or a safety escalation since the case was last closed'),
    safetyEscalations: integer(),
    openedAt: instant(),
    reopenedAt: nullable(instant()),
    lastInboundContactAt: instant(),
    waitingSince: instant('The later of the last inbound contact and the (re)opening'),
    pendingCallbacks: integer(),
    callbackDueAt: nullable(instant('The earliest due time of the pending call-backs')),
    followUpDueAt: nullable(instant()),
    followUpReason: nullable(oneOf(FOLLOW_UP_REASONS)),
    nextAction: nullable(oneOf(NEXT_ACTIONS)),
    nextActionDueAt: nullable(instant()),
    openReferrals: integer(),
    concern: nullable(text('What the caller raised at the first contact')),
    channel: nullable(text("How the caller's last contact came in")),
    outOfHours: boolean("Whether that contact came out of the line's opening hours"),
    priority: integer(
      '0 (first) to 7: at risk (4), call-back overdue (2), follow-up overdue (1), each counting when absent',
    ),
    callbackOverdue: boolean(),
    followUpOverdue: boolean(),
    nextActionOverdue: boolean(),
  }),
);

export const CASE_QUEUE_PAGE = named(
  'CaseQueuePage',
  object({
    now: instant('The instant the overdue flags and the order were computed at (a later page keeps its first page’s)'),
    items: listOf(CASE_QUEUE_ITEM),
    nextCursor: NEXT_CURSOR,
    caughtUp: CAUGHT_UP,
  }),
);

export const REFERRAL_PIPELINE_PAGE = named(
  'ReferralPipelinePage',
  object({
    items: listOf(
      named(
        'ReferralPipelineItem',
        object({
          caseId: uuid(),
          lineId: nullable(text()),
          referralId: uuid(),
          serviceId: text(),
          status: oneOf(REFERRAL_STATUSES),
          proposedAt: instant(),
          sentAt: nullable(instant()),
          acceptedAt: nullable(instant()),
          declinedAt: nullable(instant()),
          appointmentAt: nullable(instant()),
          appointmentScheduledAt: nullable(instant()),
          attendedAt: nullable(instant()),
          missedAt: nullable(instant()),
          takenIntoCareAt: nullable(instant()),
          withdrawnAt: nullable(instant()),
          expiredAt: nullable(instant()),
          lastEscalatedAt: nullable(instant()),
          escalations: integer(),
          sharedFields: listOf(oneOf(SHARED_FIELDS)),
          declineReason: nullable(oneOf(DECLINE_REASONS)),
          withdrawalReason: nullable(oneOf(REFERRAL_WITHDRAWAL_REASONS)),
          updatedAt: instant("The time of the referral's latest event"),
        }),
      ),
    ),
    nextCursor: NEXT_CURSOR,
    caughtUp: CAUGHT_UP,
  }),
);

export const REFERRAL_FUNNEL = listOf(
  named(
    'ReferralFunnelRow',
    object({
      serviceId: text(),
      counts: {
        ...keyedBy(REFERRAL_STATUSES, integer()),
        description: 'Referrals proposed in the period that ever reached each status',
      },
      acceptanceRate: nullable(number('accepted / (accepted + declined); null when the service answered none')),
      medianHoursSentToAccepted: nullable(number('One decimal')),
      medianHoursSentToTakenIntoCare: nullable(number('One decimal')),
    }),
  ),
);

export const OVERDUE_HANDOFF_PAGE = named(
  'OverdueHandoffPage',
  object({
    items: listOf(
      named(
        'OverdueHandoff',
        object({
          caseId: uuid(),
          lineId: nullable(text()),
          referralId: uuid(),
          serviceId: text(),
          sentAt: instant(),
          agreedHours: number("The service's agreed response time"),
          hoursWaiting: number(),
          escalations: integer(),
          lastEscalatedAt: nullable(instant()),
        }),
      ),
    ),
    nextCursor: NEXT_CURSOR,
  }),
);
