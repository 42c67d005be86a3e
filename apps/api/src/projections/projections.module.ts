import { Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import type { EventStore } from '@helpline/event-store';
import { ProjectionRunner } from '@helpline/projections';
import { DATABASE, EVENT_STORE } from '@helpline/kernel';
import { createProjectionRunner } from '@helpline/composition';
import { MetricsModule, METRICS_REGISTRY } from '../metrics/metrics.module';
import type { Registry } from 'prom-client';
import { ProjectionsController } from './projections.controller';

/** The projection runner: started inside the API for the embedded default (PROJECTIONS_IN_PROCESS), else only queried. */
@Global()
@Module({
  imports: [MetricsModule],
  controllers: [ProjectionsController],
  providers: [
    {
      provide: ProjectionRunner,
      inject: [DATABASE, EVENT_STORE, SETTINGS, METRICS_REGISTRY],
      useFactory: (database: Database, eventStore: EventStore, settings: Settings, registry: Registry) => {
        const logger = new Logger('Projections');
        return createProjectionRunner({
          database,
          eventStore,
          settings,
          metrics: registry,
          ownerId: settings.instanceId ? `api:${settings.instanceId}` : undefined,
          logger: {
            info: (f, m) => logger.log(f, m),
            warn: (f, m) => logger.warn(f, m),
            error: (f, m) => logger.error(f, m),
          },
        });
      },
    },
  ],
  exports: [ProjectionRunner],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.projectionsInProcess) await this.runner.start();
    else await this.runner.initialize();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
