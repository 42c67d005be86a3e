import { Module } from '@nestjs/common';
import { CaseAccessLogRepository } from '@helpline/cases';
import { CasesModule } from '../cases/cases.module';
import { QueuesModule } from '../queues/queues.module';
import { GetHandoffHandler, GetHandoffInboxHandler } from './handoff-inbox.queries';
import { HandoffsController } from './handoffs.controller';

/** The services' side of the referral loop (SerD/SMI staff); the commands travel the case command path of CasesModule. */
@Module({
  imports: [CasesModule, QueuesModule],
  controllers: [HandoffsController],
  providers: [CaseAccessLogRepository, GetHandoffInboxHandler, GetHandoffHandler],
})
export class HandoffsModule {}
