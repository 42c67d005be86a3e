import { Module } from '@nestjs/common';
import type { Settings } from '@helpline/config';
import { SETTINGS } from '@helpline/config';
import type { Database } from '@helpline/database';
import { PersonalDataVault } from '@helpline/privacy';
import { DATABASE, EVENT_STORE } from '@helpline/kernel';
import { AccessLogController } from './access-log.controller';

import {
  CallbackNumberRetention,
  CaseAccessLogRepository,
  CaseCommandHandler,
  CaseStreamRepository,
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
    CaseStreamRepository,
    CaseCommandHandler,
    CaseAccessLogRepository,
    GetCaseHandler,
    GetCaseHistoryHandler,
    GetAccessLogHandler,
    CallbackNumberRetention,
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
      useFactory: (database: Database, settings: Settings) =>
        new PersonalDataVault(database, settings.masterKey.toString('base64')),
    },
  ],
  exports: [CaseStreamRepository, CaseCommandHandler, PersonalDataVault],
})
export class CasesModule {}
