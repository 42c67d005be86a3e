import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@helpline/auth';
import type { Database } from '@helpline/database';
import { DirectoryService } from '@helpline/directory';
import { DomainError, entryOf } from '@helpline/domain';
import { StreamVersionConflictError } from '@helpline/event-store';
import { ReferralPipelineQueries, type OverdueHandoff } from '@helpline/projections';
import { DATABASE } from '@helpline/kernel';
import { CaseCommandHandler } from './case-command.handler';
import { CaseStreamRepository } from './case-stream.repository';

/**
 * A handoff the service has not answered (accepted or declined) within its agreed response time is escalated
 * once; at HANDOFF_EXPIRY_FACTOR times the agreed time it expires (the referral is closed as `expired`, and the
 * line can propose another service). With the sample's 48 h: escalated after 48 h, expired after 96 h.
 */
export const HANDOFF_EXPIRY_FACTOR = 2;

const SYSTEM: Principal = { id: 'system:handoff-escalation', role: 'admin', lines: ['*'] };
const HOUR_MS = 3_600_000;
const PAGE = 200;

type Step = 'escalation' | 'expiry';

export interface HandoffEscalationResult {
  /** Handoffs escalated now (one HandoffEscalated event each). */
  readonly escalated: number;
  /** Referrals expired now (one ReferralExpired event each). */
  readonly expired: number;
  /** Overdue in the read model but no longer waiting on the stream (answered, closed case, moved on meanwhile). */
  readonly skipped: number;
}

/**
 * Escalates, then expires, handoffs left unanswered, from the referral pipeline read model (which handoffs wait
 * and since when) and the directory (each service's agreed response time). Every step is checked again on the
 * case's own stream and appended with the version read and an idempotency key made of the referral id and the
 * step, so running it twice, or on two instances at once, appends nothing new. A read model that lags only
 * delays a step until the next run; it never causes a wrong one.
 */
@Injectable()
export class HandoffEscalation {
  private readonly pipeline: ReferralPipelineQueries;

  constructor(
    @Inject(DATABASE) database: Database,
    private readonly streams: CaseStreamRepository,
    private readonly executor: CaseCommandHandler,
    private readonly directory: DirectoryService,
  ) {
    this.pipeline = new ReferralPipelineQueries(database.db);
  }

  async sweep(now: Date = new Date()): Promise<HandoffEscalationResult> {
    const agreed = await this.agreedHours();
    const counts = { escalated: 0, expired: 0, skipped: 0 };
    let after: string | null = null;
    do {
      const page = await this.pipeline.overdueHandoffs(now, agreed, { page: { limit: PAGE, after } });
      for (const handoff of page.items) {
        const step = stepDue(handoff.hoursWaiting, handoff.agreedHours, handoff.escalations);
        if (!step) continue;
        const taken = await this.take(step, handoff, now);
        if (taken === 'appended') counts[step === 'expiry' ? 'expired' : 'escalated']++;
        else if (taken === 'skipped') counts.skipped++;
      }
      after = page.nextCursor;
    } while (after);
    return counts;
  }

  private async take(step: Step, handoff: OverdueHandoff, now: Date): Promise<'appended' | 'replayed' | 'skipped'> {
    const { caseId, referralId } = handoff;
    const loaded = await this.streams.load(caseId);
    const referral = entryOf(loaded.state.referrals, referralId);
    if (loaded.state.status !== 'open' || referral?.status !== 'sent' || referral.sentAt === null) return 'skipped';
    const hoursWaiting = (now.getTime() - Date.parse(referral.sentAt)) / HOUR_MS;
    if (stepDue(hoursWaiting, handoff.agreedHours, referral.escalations) !== step) return 'skipped';
    const key = `handoff-${step}-${referralId}`;
    try {
      const result = await this.executor.execute({
        caseId,
        context: {
          principal: SYSTEM,
          requestId: key,
          idempotencyKey: key,
          expectedVersion: loaded.version,
          fingerprint: `${key}:${caseId}`,
        },
        occurredAt: now.toISOString(),
        build: ({ occurredAt }) =>
          step === 'expiry'
            ? { type: 'ExpireReferral', caseId, occurredAt, referralId }
            : { type: 'EscalateHandoff', caseId, occurredAt, referralId },
      });
      return result.replayed ? 'replayed' : 'appended';
    } catch (error) {
      // The case moved on since we read it (the service answered, the line withdrew): the next run looks again.
      if (error instanceof StreamVersionConflictError || error instanceof DomainError) return 'skipped';
      throw error;
    }
  }

  /** Each service's agreed response time, retired services included (their handoffs under way still count). */
  private async agreedHours(): Promise<Map<string, number>> {
    const hours = new Map<string, number>();
    let after: string | undefined;
    do {
      const page = await this.directory.searchServices({ includeRetired: true, limit: 100, after });
      for (const service of page.items) {
        const agreed = service.handoffContact?.responseTimeHours;
        if (typeof agreed === 'number') hours.set(service.id, agreed);
      }
      after = page.nextCursor ?? undefined;
    } while (after);
    return hours;
  }
}

/** Expired at HANDOFF_EXPIRY_FACTOR x the agreed time; escalated once past the agreed time. */
function stepDue(hoursWaiting: number, agreedHours: number, escalations: number): Step | undefined {
  if (hoursWaiting >= HANDOFF_EXPIRY_FACTOR * agreedHours) return 'expiry';
  if (hoursWaiting > agreedHours && escalations === 0) return 'escalation';
  return undefined;
}
