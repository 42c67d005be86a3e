import { Module } from '@nestjs/common';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { EvaluationReports } from '@helpline/evaluation';
import { DATABASE, EVENT_STORE } from '@helpline/kernel';
import { EvaluationController } from './evaluation.controller';
import { GetEvaluationReportHandler } from './get-evaluation-report.query';

@Module({
  controllers: [EvaluationController],
  providers: [
    GetEvaluationReportHandler,
    {
      provide: EvaluationReports,
      inject: [DATABASE, EVENT_STORE],
      useFactory: (database: Database, eventStore: EventStore) => new EvaluationReports({ database, eventStore }),
    },
  ],
})
export class EvaluationModule {}
