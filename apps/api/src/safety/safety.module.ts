import { Module } from '@nestjs/common';
import { SETTINGS, type Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { PersonalDataVault, FileKeyStore } from '@helpline/privacy';
import { DATABASE, EVENT_STORE } from '@helpline/kernel';
import {
  SafetyAccessLogRepository,
  SafetyCommandExecutor,
  SafetyMonitoringQueries,
  SafetyRegisterQueries,
  SafetyStreamRepository,
} from '@helpline/safety';
import { EventSourcedCommandHandler } from '@helpline/command-handling';
import {
  GetSafetyAccessLogHandler,
  GetSafetyEmergencyHandler,
  GetSafetyMonitoringExportHandler,
  GetSafetyMonitoringHandler,
  GetSafetyRegisterHandler,
  GetSafetyRequestHandler,
  GetPoliceWorklistHandler,
} from './read-safety.queries';
import { QueuesModule } from '../queues/queues.module';
import { SafetyWorklistController } from './safety-worklist.controller';
import { SafetyAccessLogController } from './safety-access-log.controller';
import { SafetyEmergenciesController } from './safety-emergencies.controller';
import { SafetyMailScheduler } from './safety-mail.scheduler';
import { SafetyMonitoringController } from './safety-monitoring.controller';
import { SafetyRegisterController } from './safety-register.controller';
import { SafetyRequestsController } from './safety-requests.controller';

/**
 * The safety protocol between the social services and the local police (seed 002): preventive requests, emergencies,
 * the register, the monthly monitoring, and the e-mail dispatcher. Commands go from the controllers to SafetyCommandExecutor (the generic command handler),
 * queries travel the query bus. The application layer is plain TypeScript in
 * libs/safety, wired here.
 */
@Module({
  imports: [QueuesModule],
  controllers: [
    SafetyRequestsController,
    SafetyEmergenciesController,
    SafetyRegisterController,
    SafetyMonitoringController,
    SafetyWorklistController,
    SafetyAccessLogController,
  ],
  providers: [
    {
      provide: SafetyStreamRepository,
      inject: [EVENT_STORE],
      useFactory: (eventStore: EventStore) => new SafetyStreamRepository(eventStore),
    },
    {
      provide: PersonalDataVault,
      inject: [DATABASE, SETTINGS],
      useFactory: (database: Database, settings: Settings) =>
        new PersonalDataVault(database, settings.masterKey.toString('base64'), {
          keyStore: new FileKeyStore(settings.keyStoreDir, settings.masterKey),
        }),
    },
    {
      provide: SafetyCommandExecutor,
      inject: [EVENT_STORE, SafetyStreamRepository, PersonalDataVault],
      useFactory: (eventStore: EventStore, streams: SafetyStreamRepository, vault: PersonalDataVault) =>
        new SafetyCommandExecutor(new EventSourcedCommandHandler(eventStore, vault), streams, vault),
    },
    {
      provide: SafetyRegisterQueries,
      inject: [DATABASE],
      useFactory: (database: Database) => new SafetyRegisterQueries(database.db),
    },
    {
      provide: SafetyAccessLogRepository,
      inject: [DATABASE],
      useFactory: (database: Database) => new SafetyAccessLogRepository(database),
    },
    {
      provide: SafetyMonitoringQueries,
      inject: [DATABASE],
      useFactory: (database: Database) => new SafetyMonitoringQueries(database.db),
    },
    GetSafetyRequestHandler,
    GetSafetyAccessLogHandler,
    GetPoliceWorklistHandler,
    GetSafetyEmergencyHandler,
    GetSafetyRegisterHandler,
    GetSafetyMonitoringHandler,
    GetSafetyMonitoringExportHandler,
    SafetyMailScheduler,
  ],
  exports: [SafetyMailScheduler],
})
export class SafetyModule {}
