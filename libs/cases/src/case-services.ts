import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { EventSourcedCommandHandler } from '@helpline/command-handling';
import { DirectoryService } from '@helpline/directory';
import { PersonalDataVault, FileKeyStore } from '@helpline/privacy';
import { CallbackNumberRetention } from './callback-number-retention';
import { CaseCommandHandler } from './case-command.handler';
import { CaseRetention } from './case-retention';
import { CaseStreamRepository } from './case-stream.repository';
import { ErasureLedger } from './erasure-ledger';
import { HandoffEscalation } from './handoff-escalation';

/** The case services wired by hand, for the CLI and workers that run without the HTTP app. */
export function createCaseServices(database: Database, eventStore: EventStore, settings: Settings) {
  const streams = new CaseStreamRepository(eventStore);
  const vault = new PersonalDataVault(database, settings.masterKey.toString('base64'), {
    keyStore: new FileKeyStore(settings.keyStoreDir, settings.masterKey),
  });
  const erasures = ErasureLedger.beside(settings.keyStoreDir);
  const executor = new CaseCommandHandler(new EventSourcedCommandHandler(eventStore, vault), vault, erasures);
  const retention = new CallbackNumberRetention(database, streams, executor, vault, settings);
  const escalation = new HandoffEscalation(database, streams, executor, DirectoryService.onDatabase(database));
  const caseRetention = new CaseRetention(database, streams, executor);
  return { streams, vault, executor, retention, escalation, erasures, caseRetention };
}
