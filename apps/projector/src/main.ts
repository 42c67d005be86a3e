import 'reflect-metadata';
import { hostname } from 'node:os';
import pino from 'pino';
import { ConfigurationError, resolveSettings } from '@helpline/config';
import { configureLines, SEED_LINES } from '@helpline/domain';
import { EmbeddedStoreBusyError } from '@helpline/database';
import { redact } from '@helpline/privacy';
import {
  createProjectionRunner,
  createServiceMetrics,
  openEventStore,
  openMigratedDatabase,
} from '@helpline/composition';
import { startOperationsServer } from './operations-server';
import { createSafetyMailDispatcher } from '@helpline/safety';
import { createCaseServices } from '@helpline/cases';
import { startRetentionSchedule } from './retention-schedule';

/**
 * The projection worker as its own process. Several may run against one database: each read model is driven by
 * one of them at a time (a lease), and another takes over when it dies.
 */
async function main(): Promise<void> {
  let settings;
  try {
    settings = resolveSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  configureLines(settings.lines ?? SEED_LINES);
  const logger = pino({
    level: settings.logLevel,
    formatters: { log: (object) => redact(object) },
  });
  let database;
  try {
    database = await openMigratedDatabase(settings, 'helpline-projector');
  } catch (error) {
    if (error instanceof EmbeddedStoreBusyError) {
      process.stderr.write(
        `${error.message}\nWith the embedded default the API runs the projections itself (PROJECTIONS_IN_PROCESS=true).\n`,
      );
      process.exit(3);
    }
    throw error;
  }
  const eventStore = await openEventStore(settings, database);
  const metrics = createServiceMetrics(database);
  const runner = createProjectionRunner({
    database,
    eventStore,
    settings,
    logger,
    metrics,
    ownerId: settings.instanceId ? `projector:${settings.instanceId}` : `projector:${hostname()}:${process.pid}`,
  });
  await runner.start();
  // The safety protocol's e-mails, from the outbox its projection fills (any number of dispatchers may run).
  const safetyMail = createSafetyMailDispatcher({
    database,
    settings,
    logger,
    ownerId: `projector:${hostname()}:${process.pid}`,
  });
  safetyMail.start();
  // Erasure by each line's retention policy (docs/privacy.md, "How long").
  const retention = startRetentionSchedule(createCaseServices(database, eventStore, settings).caseRetention, logger);
  const operations =
    settings.projectorPort > 0 ? await startOperationsServer(settings.projectorPort, database, metrics) : undefined;
  logger.info(
    { projections: runner.names, ...(operations ? { healthAndMetricsPort: operations.port } : {}) },
    'projector started',
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await operations?.close();
    await safetyMail.stop();
    await retention.stop();
    await runner.stop();
    await eventStore.close();
    await database.close();
    logger.info({}, 'projector stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
