import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { EventSourcedCommandHandler } from '@helpline/command-handling';
import { PersonalDataVault, FileKeyStore } from '@helpline/privacy';
import { SafetyMailDispatcher, smtpSender, type SafetyMailLogger } from './mail/safety-mail.dispatcher';
import { SafetyMailOutboxRepository } from './mail/safety-mail-outbox.repository';
import { SafetyMonitoringQueries } from './monitoring/safety-monitoring.queries';
import { SafetyRegisterQueries } from './read-models/safety-register.queries';
import { SafetyCommandExecutor } from './safety-command.executor';
import { SafetyStreamRepository } from './safety-stream.repository';

/** The e-mail dispatcher on a database, as the settings configure it (the API and the projector both run one). */
export function createSafetyMailDispatcher(setup: {
  database: Database;
  settings: Settings;
  logger?: SafetyMailLogger;
  ownerId?: string;
}): SafetyMailDispatcher {
  const { database, settings } = setup;
  return new SafetyMailDispatcher({
    outbox: new SafetyMailOutboxRepository(database),
    sender: settings.smtpUrl ? smtpSender(settings.smtpUrl) : undefined,
    settings,
    tuning: settings.safetyMailDispatch,
    logger: setup.logger,
    ownerId: setup.ownerId,
  });
}

/** The safety services wired by hand (the API's module does the same with Nest's injector). */
export function createSafetyServices(
  database: Database,
  eventStore: EventStore,
  settings: Settings,
  vault = new PersonalDataVault(database, settings.masterKey.toString('base64'), {
    keyStore: new FileKeyStore(settings.keyStoreDir, settings.masterKey),
  }),
) {
  const streams = new SafetyStreamRepository(eventStore);
  return {
    streams,
    vault,
    executor: new SafetyCommandExecutor(new EventSourcedCommandHandler(eventStore, vault), streams, vault),
    register: new SafetyRegisterQueries(database.db),
    monitoring: new SafetyMonitoringQueries(database.db),
    outbox: new SafetyMailOutboxRepository(database),
  };
}
