import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { CaseQueueQueries, ReferralPipelineQueries } from '@helpline/projections';
import type { CasePhase, ReferralStatus } from '@helpline/domain';
import { DirectoryService } from '@helpline/directory';
import { CaseQueueQueryDto, FunnelQueryDto, PageQueryDto, ReferralQueryDto } from './queue-query.dto';
import { ReadYourWrites } from './read-your-writes';
import { funnelPeriod, roundedHours } from './funnel-period';
import { Answers } from '../common/response-schema';
import { CASE_QUEUE_PAGE, OVERDUE_HANDOFF_PAGE, REFERRAL_FUNNEL, REFERRAL_PIPELINE_PAGE } from './queue.responses';

const queueExample = {
  now: '2026-11-25T10:00:00.000Z',
  items: [
    {
      caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
      lineId: 'sostienimi',
      phase: 'framing',
      furthestPhase: 'framing',
      assignedOperatorId: 'operator-7',
      riskLevel: 'high',
      atRisk: true,
      safetyEscalations: 0,
      openedAt: '2026-11-25T08:40:00.000Z',
      reopenedAt: null,
      lastInboundContactAt: '2026-11-25T08:40:00.000Z',
      waitingSince: '2026-11-25T08:40:00.000Z',
      pendingCallbacks: 1,
      callbackDueAt: '2026-11-25T13:00:00.000Z',
      followUpDueAt: null,
      followUpReason: null,
      nextAction: 'call_back',
      nextActionDueAt: '2026-11-25T13:00:00.000Z',
      openReferrals: 0,
      concern: 'cocaine',
      channel: 'voicemail',
      outOfHours: true,
      priority: 1,
      callbackOverdue: false,
      followUpOverdue: false,
      nextActionOverdue: false,
    },
  ],
  nextCursor: null,
  caughtUp: true,
};

/** The operators' work lists, from the queue read model: cases at risk first, then overdue call-backs, follow-ups due, the longest waiting. */
@ApiTags('queues')
@ApiBearerAuth()
@Controller()
@Roles('operator', 'supervisor')
export class QueuesController {
  constructor(
    private readonly queue: CaseQueueQueries,
    private readonly pipeline: ReferralPipelineQueries,
    private readonly directory: DirectoryService,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get('queues/mine')
  @ApiOperation({ summary: 'The open cases assigned to you, by priority' })
  @Answers(200, CASE_QUEUE_PAGE, queueExample)
  async mine(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    const wait = await this.readYourWrites.waitFor('case-queue', query.waitFor);
    return { ...(await this.queue.myQueue(principal.id, principal.lines, new Date(), page(query))), ...wait };
  }

  @Get('queues/unassigned')
  @ApiOperation({ summary: 'Open cases of your lines nobody has taken yet, by priority' })
  @Answers(200, CASE_QUEUE_PAGE, queueExample)
  async unassigned(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    const wait = await this.readYourWrites.waitFor('case-queue', query.waitFor);
    return { ...(await this.queue.unassigned(principal.lines, new Date(), page(query))), ...wait };
  }

  @Get('queues/cases')
  @ApiOperation({ summary: 'Open cases of your lines by line and phase (and at risk), by priority' })
  @Answers(200, CASE_QUEUE_PAGE, queueExample)
  async byLineAndPhase(@Query() query: CaseQueueQueryDto, @CurrentPrincipal() principal: Principal) {
    const wait = await this.readYourWrites.waitFor('case-queue', query.waitFor);
    const filter = { lineId: query.lineId, phase: query.phase as CasePhase | undefined, atRisk: query.atRisk };
    return { ...(await this.queue.byLineAndPhase(principal.lines, filter, new Date(), page(query))), ...wait };
  }

  @Get('queues/callbacks')
  @ApiOperation({ summary: 'Cases with call-backs to make, earliest due first; overdue ones flagged' })
  @Answers(200, CASE_QUEUE_PAGE, queueExample)
  async callbacks(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    const wait = await this.readYourWrites.waitFor('case-queue', query.waitFor);
    return { ...(await this.queue.callbackQueue(principal.lines, new Date(), page(query))), ...wait };
  }

  @Get('referrals')
  @ApiOperation({ summary: 'Referrals of your lines by service and status, with the time of each step' })
  @Answers(200, REFERRAL_PIPELINE_PAGE, {
    items: [
      {
        caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
        lineId: 'sostienimi',
        referralId: '9d1f0e3a-8a44-4b0e-8f55-1a2b3c4d5e6f',
        serviceId: 'esempio-serd-centro',
        status: 'accepted',
        proposedAt: '2026-11-20T10:00:00.000Z',
        sentAt: '2026-11-20T10:30:00.000Z',
        acceptedAt: '2026-11-21T09:00:00.000Z',
        declinedAt: null,
        appointmentAt: null,
        appointmentScheduledAt: null,
        attendedAt: null,
        missedAt: null,
        takenIntoCareAt: null,
        withdrawnAt: null,
        expiredAt: null,
        lastEscalatedAt: null,
        escalations: 0,
        sharedFields: ['age_band', 'concern'],
        declineReason: null,
        withdrawalReason: null,
        updatedAt: '2026-11-21T09:00:00.000Z',
      },
    ],
    nextCursor: null,
    caughtUp: true,
  })
  async referrals(@Query() query: ReferralQueryDto, @CurrentPrincipal() principal: Principal) {
    const wait = await this.readYourWrites.waitFor('referral-pipeline', query.waitFor);
    return {
      ...(await this.pipeline.byServiceAndStatus(
        { serviceId: query.serviceId, status: query.status as ReferralStatus | undefined, lines: principal.lines },
        page(query),
      )),
      ...wait,
    };
  }

  @Get('referrals/funnel')
  @ApiOperation({
    summary:
      'Per service and period (default: the 12 months up to now): counts per status, acceptance rate, median hours ' +
      'from sent to accepted and to taken into care (one decimal)',
  })
  @Answers(200, REFERRAL_FUNNEL, [
    {
      serviceId: 'esempio-serd-centro',
      counts: {
        proposed: 12,
        sent: 11,
        accepted: 8,
        declined: 2,
        appointment_set: 7,
        attended: 6,
        no_show: 1,
        taken_into_care: 5,
        withdrawn: 1,
        expired: 0,
      },
      acceptanceRate: 0.8,
      medianHoursSentToAccepted: 20.5,
      medianHoursSentToTakenIntoCare: 190,
    },
  ])
  async funnel(@Query() query: FunnelQueryDto, @CurrentPrincipal() principal: Principal) {
    const { from, to } = funnelPeriod(query);
    const rows = await this.pipeline.funnel({ serviceId: query.serviceId, from, to, lines: principal.lines });
    return rows.map((row) => ({
      ...row,
      medianHoursSentToAccepted: roundedHours(row.medianHoursSentToAccepted),
      medianHoursSentToTakenIntoCare: roundedHours(row.medianHoursSentToTakenIntoCare),
    }));
  }

  @Get('referrals/overdue')
  @ApiOperation({ summary: "Handoffs waiting longer than the service's agreed response time" })
  @Answers(200, OVERDUE_HANDOFF_PAGE, {
    items: [
      {
        caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
        referralId: '9d1f0e3a-8a44-4b0e-8f55-1a2b3c4d5e6f',
        serviceId: 'esempio-serd-centro',
        lineId: 'sostienimi',
        sentAt: '2026-11-20T10:30:00.000Z',
        agreedHours: 48,
        hoursWaiting: 71.5,
        escalations: 1,
        lastEscalatedAt: '2026-11-22T10:30:00.000Z',
      },
    ],
    nextCursor: null,
  })
  async overdue(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    const agreed = await this.agreedHours();
    return this.pipeline.overdueHandoffs(new Date(), agreed, { lines: principal.lines, page: page(query) });
  }

  private async agreedHours(): Promise<Map<string, number>> {
    const hours = new Map<string, number>();
    let after: string | undefined;
    do {
      const result = await this.directory.searchServices({ includeRetired: true, limit: 100, after });
      for (const service of result.items) {
        const agreed = service.handoffContact?.responseTimeHours;
        if (typeof agreed === 'number') hours.set(service.id, agreed);
      }
      after = result.nextCursor ?? undefined;
    } while (after);
    return hours;
  }
}

function page(query: PageQueryDto) {
  return { limit: query.limit, after: query.after };
}
