import { Module } from '@nestjs/common';
import type { Settings } from '@helpline/config';
import { SETTINGS } from '@helpline/config';
import type { Database } from '@helpline/database';
import { PersonalDataVault, FileKeyStore } from '@helpline/privacy';
import { DATABASE, EVENT_STORE } from '@helpline/kernel';
import { AccessLogController } from './access-log.controller';

import {
  CallbackNumberRetention,
  CallerLookup,
  CaseAccessLogRepository,
  CaseRetention,
  CaseCommandHandler,
  CaseStreamRepository,
  ErasureLedger,
  HandoffEscalation,
} from '@helpline/cases';
import { MaintenanceScheduler } from '../maintenance/maintenance.scheduler';
import { CasesController } from './cases.controller';
import { CaseLookupController } from './case-lookup.controller';
import { CaseLookupQueries } from '@helpline/projections';
import { QueuesModule } from '../queues/queues.module';
import { EventSourcedCommandHandler } from '@helpline/command-handling';
import type { EventStore } from '@helpline/event-store';
import { GetAccessLogHandler, GetCaseHandler, GetCaseHistoryHandler } from './read-case.queries';

@Module({
  imports: [QueuesModule],
  // The lookup first: its GET /cases must not be read as GET /cases/:caseId.
  controllers: [CaseLookupController, CasesController, AccessLogController],
  providers: [
    {
      provide: CaseLookupQueries,
      inject: [DATABASE],
      useFactory: (database: Database) => new CaseLookupQueries(database.db),
    },
    {
      provide: CallerLookup,
      inject: [CaseLookupQueries, PersonalDataVault],
      useFactory: (lookup: CaseLookupQueries, vault: PersonalDataVault) => new CallerLookup(lookup, vault),
    },
    CaseStreamRepository,
    CaseCommandHandler,
    {
      provide: ErasureLedger,
      inject: [SETTINGS],
      useFactory: (settings: Settings) => ErasureLedger.beside(settings.keyStoreDir),
    },
    CaseAccessLogRepository,
    GetCaseHandler,
    GetCaseHistoryHandler,
    GetAccessLogHandler,
    CallbackNumberRetention,
    CaseRetention,
    HandoffEscalation,
    MaintenanceScheduler,
    {
      provide: EventSourcedCommandHandler,
      inject: [EVENT_STORE, PersonalDataVault],
      useFactory: (eventStore: EventStore, vault: PersonalDataVault) =>
        new EventSourcedCommandHandler(eventStore, vault),
    },
    {
      provide: PersonalDataVault,
      inject: [DATABASE, SETTINGS],
      // At start the key store is brought in line with the database (keys of an older version moved into it, keys
      // a crash left behind destroyed): see docs/privacy.md.
      useFactory: async (database: Database, settings: Settings) => {
        const vault = new PersonalDataVault(database, settings.masterKey.toString('base64'), {
          keyStore: new FileKeyStore(settings.keyStoreDir, settings.masterKey),
        });
        await vault.prepare();
        return vault;
      },
    },
  ],
  exports: [CaseStreamRepository, CaseCommandHandler, PersonalDataVault],
})
export class CasesModule {}
