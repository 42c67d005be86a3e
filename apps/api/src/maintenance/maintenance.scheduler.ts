import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CallbackNumberRetention, CaseRetention, HandoffEscalation } from '@helpline/cases';
import { SETTINGS, type Settings } from '@helpline/config';

const EVERY_TEN_MINUTES = 10 * 60_000;

/**
 * Jobs the service runs on its own: destroying call-back numbers past their retention; escalating, then expiring,
 * handoffs a service has not answered in its agreed time (HandoffEscalation); and, when this process also runs
 * the projections (no separate projector), erasing closed cases past their line's retention (CaseRetention). Each
 * job is safe to run twice (also from the CLI, or from several instances), so no coordination is needed beyond that.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Maintenance');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly retention: CallbackNumberRetention,
    private readonly escalation: HandoffEscalation,
    private readonly caseRetention: CaseRetention,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), EVERY_TEN_MINUTES);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const result = await this.retention.sweep();
        if (result.discarded + result.orphanKeysDestroyed > 0)
          this.logger.log({ ...result }, 'call-back numbers destroyed');
      } catch (error) {
        this.logger.error(
          { err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } },
          'call-back number retention failed',
        );
      }
      if (this.settings.projectionsInProcess) {
        try {
          const result = await this.caseRetention.run();
          if (result.erased > 0) this.logger.log({ ...result }, 'personal data erased by retention policy');
        } catch (error) {
          this.logger.error(
            { err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } },
            'retention policy run failed',
          );
        }
      }
      try {
        const result = await this.escalation.sweep();
        if (result.escalated + result.expired > 0)
          this.logger.log({ ...result }, 'unanswered handoffs escalated or expired');
      } catch (error) {
        this.logger.error(
          { err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } },
          'handoff escalation failed',
        );
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
