import { Command } from 'commander';
import { createCaseServices, HANDOFF_EXPIRY_FACTOR } from '@helpline/cases';
import { migrateToLatest } from '@helpline/database';
import { createProjectionRunner, openEventStore } from '@helpline/composition';
import type { CliSupport } from './cli-support';

const CATCH_UP_MS = 60_000;

/** `handoffs escalate`: what the API does every ten minutes, on demand. */
export function registerHandoffsCommands(program: Command, { loadSettings, withDatabase }: CliSupport): void {
  program
    .command('handoffs')
    .description('handoffs sent to SerD/SMI services')
    .command('escalate')
    .description(
      `escalate handoffs a service has not answered within its agreed response time, and expire them at ${HANDOFF_EXPIRY_FACTOR}x that time (safe to run twice, and while the service runs on a server)`,
    )
    .action(async () => {
      const settings = loadSettings();
      const result = await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        const eventStore = await openEventStore(settings, database);
        // The overdue handoffs come from the referral pipeline: bring it up to the end of the log first (or wait
        // for the process that projects it). Each step is checked again on the case's stream anyway.
        const runner = createProjectionRunner({
          database,
          eventStore,
          settings,
          metrics: false,
          ownerId: `cli:${process.pid}`,
        });
        try {
          await runner.start();
          if (!(await runner.waitForPosition('referral-pipeline', await eventStore.headPosition(), CATCH_UP_MS))) {
            process.stderr.write(
              'The referral pipeline is behind the log; handoffs it has not seen yet wait for the next run.\n',
            );
          }
          return await createCaseServices(database, eventStore, settings).escalation.sweep();
        } finally {
          await runner.stop();
          await eventStore.close();
        }
      });
      process.stdout.write(
        `Escalated ${result.escalated} handoff(s) past their agreed response time; expired ${result.expired} referral(s) past ${HANDOFF_EXPIRY_FACTOR}x that time; skipped ${result.skipped} answered meanwhile.\n`,
      );
    });
}
