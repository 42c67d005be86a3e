import { Module } from '@nestjs/common';
import type { Settings } from '@helpline/config';
import { SETTINGS } from '@helpline/config';
import type { Database } from '@helpline/database';
import { PersonalDataVault } from '@helpline/privacy';
import { DATABASE } from '@helpline/kernel';
import { AccessLogController } from './access-log.controller';

import {
  CallbackNumberRetention,
  CaseAccessLogRepository,
  CaseCommandExecutor,
  CaseStreamRepository,
  HandoffEscalation,
} from '@helpline/cases';
import { MaintenanceScheduler } from '../maintenance/maintenance.scheduler';
import { CasesController } from './cases.controller';
import { ExecuteCaseCommandHandler } from './execute-case-command.handler';
import { GetAccessLogHandler, GetCaseHandler, GetCaseHistoryHandler } from './read-case.queries';

@Module({
  controllers: [CasesController, AccessLogController],
  providers: [
    CaseStreamRepository,
    CaseCommandExecutor,
    CaseAccessLogRepository,
    ExecuteCaseCommandHandler,
    GetCaseHandler,
    GetCaseHistoryHandler,
    GetAccessLogHandler,
    CallbackNumberRetention,
    HandoffEscalation,
    MaintenanceScheduler,
    {
      provide: PersonalDataVault,
      inject: [DATABASE, SETTINGS],
      useFactory: (database: Database, settings: Settings) =>
        new PersonalDataVault(database, settings.masterKey.toString('base64')),
    },
  ],
  exports: [CaseStreamRepository, CaseCommandExecutor, PersonalDataVault],
})
export class CasesModule {}
