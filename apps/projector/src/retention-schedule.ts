import type { CaseRetention, RetentionRunResult } from '@helpline/cases';

const EVERY_HOUR = 60 * 60_000;

interface RetentionLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Erasure by policy on a timer, in the projector: once at start, then every hour. A run is idempotent, so
 * several projectors (or the CLI's `retention run`) may run it at once. Logs counts, never a case.
 */
export function startRetentionSchedule(retention: CaseRetention, logger: RetentionLogger, everyMs = EVERY_HOUR) {
  let running: Promise<void> | undefined;
  const runOnce = () => {
    running ??= retention
      .run()
      .then((result: RetentionRunResult) => {
        if (result.erased > 0) logger.info({ retention: result }, 'personal data erased by retention policy');
      })
      .catch((error: unknown) =>
        logger.error(
          { err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } },
          'retention policy run failed',
        ),
      )
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void runOnce(), everyMs);
  timer.unref();
  void runOnce();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
