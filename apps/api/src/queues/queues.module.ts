import { Module } from '@nestjs/common';
import type { Database } from '@helpline/database';
import { CaseQueueQueries, ReferralPipelineQueries } from '@helpline/projections';
import { DATABASE } from '@helpline/kernel';
import { QueuesController } from './queues.controller';
import { ReadYourWrites } from './read-your-writes';

@Module({
  controllers: [QueuesController],
  providers: [
    ReadYourWrites,
    {
      provide: CaseQueueQueries,
      inject: [DATABASE],
      useFactory: (database: Database) => new CaseQueueQueries(database.db),
    },
    {
      provide: ReferralPipelineQueries,
      inject: [DATABASE],
      useFactory: (database: Database) => new ReferralPipelineQueries(database.db),
    },
  ],
  exports: [ReadYourWrites, CaseQueueQueries, ReferralPipelineQueries],
})
export class QueuesModule {}
